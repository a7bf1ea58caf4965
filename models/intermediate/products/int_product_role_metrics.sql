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

purchase_items as (

    select * from {{ ref('int_purchase_items') }}

),

buyers as (

    select * from {{ ref('int_buyer_first_purchases') }}

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

-- each item line once per level: under its product and under its category
subject_items as (

    select 'product' as level, product_id as subject, * from purchase_items
    union all
    select 'category' as level, category as subject, * from purchase_items
    where category is not null

),

totals as (

    select
        sum(item_revenue) as item_revenue,
        (select count(*) from buyers) as buyers,
    from purchase_items

),

item_measures as (

    select
        subject_items.level,
        subject_items.subject,
        sum(subject_items.item_revenue) as revenue,
        sum(subject_items.item_cost) as item_cost,
        sum(subject_items.item_revenue) filter (where subject_items.order_seq >= 2) as returning_revenue,
        sum(subject_items.item_revenue) filter (
            where subject_items.order_date > as_of.as_of - 90
        ) as revenue_last_90d,
        sum(subject_items.item_revenue) filter (
            where subject_items.order_date > as_of.as_of - 180
                and subject_items.order_date <= as_of.as_of - 90
        ) as revenue_previous_90d,
        count(distinct subject_items.customer_id) filter (where subject_items.order_seq = 1) as first_purchase_buyers,
    from subject_items
    cross join as_of
    group by subject_items.level, subject_items.subject

),

-- buyers whose first purchase held the subject and is at least 180 days old
first_purchase_followups as (

    select
        subject_items.level,
        subject_items.subject,
        count(distinct subject_items.customer_id) as matured_buyers,
        count(distinct subject_items.customer_id) filter (where buyers.has_repurchase_180d) as repeat_buyers,
    from subject_items
    inner join buyers
        on buyers.customer_id = subject_items.customer_id
    where subject_items.order_seq = 1 and buyers.is_matured_180d
    group by subject_items.level, subject_items.subject

),

final as (

    select
        subjects.level,
        subjects.subject,
        subjects.category,
        coalesce(item_measures.revenue, 0) as revenue,
        case when totals.item_revenue > 0 then coalesce(item_measures.revenue, 0) / totals.item_revenue end as revenue_share,
        case when item_measures.revenue > 0 then (item_measures.revenue - item_measures.item_cost) / item_measures.revenue end as margin_rate,
        coalesce(item_measures.first_purchase_buyers, 0) / nullif(totals.buyers, 0) as first_purchase_share,
        first_purchase_followups.repeat_buyers / nullif(first_purchase_followups.matured_buyers, 0) as repeat_after_first_rate,
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
    left join first_purchase_followups
        on first_purchase_followups.level = subjects.level
        and first_purchase_followups.subject = subjects.subject

)

select * from final
