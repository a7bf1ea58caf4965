-- One row per (level, subject): level `product` (subject = a product of `products` launched by
-- as_of, or without a launch date) or `category` (subject = a category of those products),
-- with the role metrics of product_roles. Both levels are computed by the same SQL so
-- category_roles cannot drift from product_roles.

with

as_of as (

    select as_of from {{ ref('int_as_of') }}

),

products as (

    select * from {{ ref('stg_shop__products') }}

),

-- not materialized: each reader scans the table for its own columns (a materialized copy of
-- millions of item lines costs more than the scans)
purchase_items as not materialized (

    select * from {{ ref('int_purchase_items') }}

),

buyers as not materialized (

    select * from {{ ref('int_buyer_first_purchases') }}

),

-- one row per (buyer, category) bought, with the products of the buyer's first purchase
-- (the per-customer stage, rebuilt per changed customer)
buyer_categories as (

    select * from {{ ref('int_buyer_categories') }}

),

products_as_of as (

    select
        products.product_id,
        products.category,
        date_diff('day', cast(products.launched_at as date), as_of.as_of) as days_since_launch,
    from products
    cross join as_of
    where products.launched_at is null or cast(products.launched_at as date) <= as_of.as_of

),

subjects as (

    select
        'product' as level,
        product_id as subject,
        category,
        days_since_launch,
    from products_as_of
    union all
    -- a category is as old as its oldest product
    select
        'category' as level,
        category as subject,
        category,
        max(days_since_launch) as days_since_launch,
    from products_as_of
    where category is not null
    group by category

),

-- the item measures per product, in one pass over the item lines; a category's are the sums
-- of its products' (every item line of a product has the product's category)
product_measures as (

    select
        purchase_items.product_id,
        purchase_items.category,
        sum(purchase_items.item_revenue) as revenue,
        sum(purchase_items.item_cost) as item_cost,
        sum(purchase_items.item_revenue) filter (where purchase_items.order_seq >= 2) as returning_revenue,
        sum(purchase_items.item_revenue) filter (
            where purchase_items.order_date > as_of.as_of - 90
        ) as revenue_last_90d,
        sum(purchase_items.item_revenue) filter (
            where purchase_items.order_date > as_of.as_of - 180
                and purchase_items.order_date <= as_of.as_of - 90
        ) as revenue_previous_90d,
    from purchase_items
    cross join as_of
    group by purchase_items.product_id, purchase_items.category

),

item_measures as (

    select
        'product' as level,
        product_id as subject,
        revenue,
        item_cost,
        returning_revenue,
        revenue_last_90d,
        revenue_previous_90d,
    from product_measures
    union all
    select
        'category' as level,
        category as subject,
        sum(revenue),
        sum(item_cost),
        sum(returning_revenue),
        sum(revenue_last_90d),
        sum(revenue_previous_90d),
    from product_measures
    where category is not null
    group by category

),

totals as (

    select
        sum(revenue) as item_revenue,
        (select count(*) from buyers) as buyers,
    from product_measures

),

-- the products and the categories in each buyer's first purchase (order_seq 1), once each
-- however many lines hold them, with whether that purchase is at least 180 days old and
-- whether the buyer came back within 180 days of it: the stage's rows of the categories in
-- it, whose lists name its products
first_purchase_categories as (

    select
        buyer_categories.category,
        buyer_categories.first_purchase_products,
        buyer_categories.first_order_date <= as_of.as_of - 180 as is_matured_180d,
        buyer_categories.has_repurchase_180d,
    from buyer_categories
    cross join as_of
    where buyer_categories.is_in_first_purchase

),

first_purchase_sets as (

    select
        'product' as level,
        unnest(first_purchase_products) as subject,
        is_matured_180d,
        has_repurchase_180d,
    from first_purchase_categories
    union all
    select
        'category' as level,
        category as subject,
        is_matured_180d,
        has_repurchase_180d,
    from first_purchase_categories
    where category is not null

),

first_purchase_subjects as (

    select
        level,
        subject,
        count(*) as first_purchase_buyers,
        count(*) filter (where is_matured_180d) as matured_buyers,
        count(*) filter (where is_matured_180d and has_repurchase_180d) as repeat_buyers,
    from first_purchase_sets
    group by level, subject

),

final as (

    select
        subjects.level,
        subjects.subject,
        subjects.category,
        coalesce(item_measures.revenue, 0) as revenue,
        case when totals.item_revenue > 0 then coalesce(item_measures.revenue, 0) / totals.item_revenue end as revenue_share,
        case when item_measures.revenue > 0 then (item_measures.revenue - item_measures.item_cost) / item_measures.revenue end as margin_rate,
        coalesce(first_purchase_subjects.first_purchase_buyers, 0) / nullif(totals.buyers, 0) as first_purchase_share,
        -- null without matured buyers (a ratio with a zero denominator)
        case
            when first_purchase_subjects.matured_buyers > 0
                then first_purchase_subjects.repeat_buyers / first_purchase_subjects.matured_buyers
        end as repeat_after_first_rate,
        case when item_measures.revenue > 0 then coalesce(item_measures.returning_revenue, 0) / item_measures.revenue end as returning_revenue_share,
        case
            when item_measures.revenue_previous_90d > 0
                then coalesce(item_measures.revenue_last_90d, 0) / item_measures.revenue_previous_90d - 1
        end as revenue_growth_90d,
        subjects.days_since_launch,
    from subjects
    cross join totals
    left join item_measures
        on item_measures.level = subjects.level
        and item_measures.subject = subjects.subject
    left join first_purchase_subjects
        on first_purchase_subjects.level = subjects.level
        and first_purchase_subjects.subject = subjects.subject

)

select * from final
