-- One row per (buyer, category) for every buyer of an item line, a null category (products
-- missing from `products`) being one of its own: what the category marts count per buyer, so
-- that on a refresh they sum these rows instead of re-reading every item line and joining
-- the buyers (category_repurchase, cross_category, and the first-purchase counts of
-- int_product_role_metrics per category and per product).
-- A row depends on the buyer's purchases and item lines up to as_of and on the products'
-- categories, not on as_of otherwise (the readers compare first_order_date with as_of), so
-- it is incremental by customer like int_buyers (macros/buyers_to_refresh.sql, sharing the
-- rule int_purchases computed this run): a run rebuilds the buyers whose history changed and
-- keeps everybody else's.
{{ config(
    materialized='incremental',
    pre_hook="{{ refresh_buyers_hook(this, 'refresh_int_buyer_categories', '_purchase_hash', share=true) }}"
) }}

with

purchase_items as (
    select customer_id, category, order_date, order_seq, product_id
    from {{ ref('int_purchase_items') }}
    {% if is_incremental() %}
    where customer_id in (select customer_id from refresh_int_buyer_categories)
    {% endif %}
),

buyers as (
    select customer_id, first_purchase_id, first_order_date, has_repurchase_180d
    from {{ ref('int_buyer_first_purchases') }}
    {% if is_incremental() %}
    where customer_id in (select customer_id from refresh_int_buyer_categories)
    {% endif %}
),

-- one pass over the item lines; the ordered distinct list of a date is DuckDB's cheap case
-- (a list sorted afterwards, or a window over the lines, costs several times as much)
by_category as (
    select
        customer_id,
        category,
        list(distinct order_date order by order_date) as buying_days,
        bool_or(order_seq = 1) as is_in_first_purchase,
        list(distinct product_id order by product_id) filter (where order_seq = 1)
            as first_purchase_products,
    from purchase_items
    group by customer_id, category
),

-- per buyer: the categories bought (a grouping and a join cost less than a window over
-- every row) and the first-purchase facts
buyer_facts as (
    select
        breadth.customer_id,
        breadth.categories,
        buyers.first_purchase_id,
        buyers.first_order_date,
        buyers.has_repurchase_180d,
    from (
        select customer_id, count(category) as categories
        from by_category
        group by customer_id
    ) as breadth
    left join buyers
        on buyers.customer_id = breadth.customer_id
),

loaded as (
    -- The newest load among the tables an item line is made of.
    select {{ newest_load([
        'stg_shop__orders',
        'stg_shop__order_items',
        'stg_shop__customers',
        'stg_shop__products'
    ]) }} as _loaded_through
),

final as (
    select
        by_category.customer_id,
        by_category.category,
        -- the gaps in days between consecutive buying days, in date order (empty for one day)
        cast(list_transform(
            range(1, len(by_category.buying_days)),
            position -> date_diff('day', by_category.buying_days[position], by_category.buying_days[position + 1])
        ) as integer[]) as days_between,
        buyer_facts.categories > 1 as is_cross_buyer,
        by_category.is_in_first_purchase,
        by_category.first_purchase_products,
        buyer_facts.first_order_date,
        buyer_facts.has_repurchase_180d,
        -- Bookkeeping of the incremental build (see macros/buyers_to_refresh.sql): one of the
        -- buyer's purchases, hashed, finds a buyer whose purchases all moved to another.
        hash(buyer_facts.first_purchase_id) as _purchase_hash,
        (select _loaded_through from loaded) as _loaded_through,
        (select as_of from {{ ref('int_as_of') }}) as _as_of,
    from by_category
    inner join buyer_facts
        on buyer_facts.customer_id = by_category.customer_id
)

select * from final
