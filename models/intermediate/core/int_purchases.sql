-- One row per purchase at as_of (the purchases_of macro over the as_of snapshot of
-- int_order_snapshots, as int_purchase_snapshots), with its order_seq and gross margin: net
-- revenue minus the item costs of its child orders (unknown costs estimated, see the item_cost
-- macro); a purchase without any item line: net revenue x default_margin_rate. The one table
-- written at purchase grain: every purchase-level model reads it.
-- Incremental by customer: a nightly run rebuilds the rows of the customers whose history
-- changed (macros/customers_to_refresh.sql) and keeps everybody else's. Each big input is cut
-- to those customers before any join or aggregation: the orders of their purchases first (the
-- pre_hook's temporary table), then those orders' item lines. The rule is computed here once
-- a run, with the reviews, and shared with int_purchase_items, int_purchase_reviews and
-- int_buyers (refresh_customers_hook's `share`): its passes over the orders cost more than
-- the rows they pick.
{{ config(
    materialized='incremental',
    pre_hook="{{ refresh_customers_hook(this, 'refresh_int_purchases', share='publish', before_image='int_purchases') }}"
) }}
{#- referenced in either kind of run: the dependencies, and so the definition hash, stay the same -#}
{% set order_snapshots = ref('int_order_snapshots') %}
{#- the pre_hook's rule reads the reviews too (shared with int_purchase_reviews) -#}
{% set reviews = ref('stg_shop__reviews') %}

with

orders as (
    -- An incremental run reads the orders of the customers it rebuilds, as they stand at
    -- as_of, from its pre_hook's temporary table (the same rows int_order_snapshots holds).
    select * from
    {% if is_incremental() %} refresh_int_purchases_orders {% else %} {{ order_snapshots }} {% endif %}
    where snapshot = 'as_of' and is_purchase
),

purchases as (
    {{ purchases_of('orders') }}
),

order_items as (
    select * from {{ ref('stg_shop__order_items') }}
    {% if is_incremental() %}
    where order_id in (select order_id from refresh_int_purchases_orders)
    {% endif %}
),

products as (
    select * from {{ ref('stg_shop__products') }}
),

members as (
    -- only customers with a membership date can be members at a purchase
    select customer_id, member_since from {{ ref('stg_shop__customers') }}
    where member_since is not null
    {% if is_incremental() %}
        and customer_id in (select customer_id from refresh_int_purchases)
    {% endif %}
),

costs_by_order as (
    -- Item lines summed per order first: the join to the orders then has one row per order.
    select
        order_items.order_id,
        count(*) as item_lines,
        sum(
            {{ item_cost('order_items.quantity', 'order_items.unit_price', 'coalesce(order_items.unit_cost, products.unit_cost)') }}
        ) as item_cost,
        bool_or(coalesce(order_items.unit_cost, products.unit_cost) is null) as has_estimated_cost,
    from order_items
    left join products
        on order_items.product_id = products.product_id
    group by order_items.order_id
),

costs_by_purchase as (
    select
        orders.purchase_id,
        sum(costs_by_order.item_lines) as item_lines,
        sum(costs_by_order.item_cost) as item_cost,
        bool_or(costs_by_order.has_estimated_cost) as has_estimated_cost,
    from costs_by_order
    inner join orders
        on costs_by_order.order_id = orders.order_id
    group by orders.purchase_id
),

loaded as (
    -- The newest load among the tables a purchase row is made of.
    select {{ newest_load([
        'stg_shop__orders',
        'stg_shop__order_items',
        'stg_shop__customers',
        'stg_shop__products'
    ]) }} as _loaded_through
),

margined as (
    select
        purchases.*,
        coalesce(costs_by_purchase.item_lines, 0) as item_lines,
        cast(
            case
                when costs_by_purchase.item_lines is null
                    then purchases.net_revenue
                        * cast({{ var('default_margin_rate') }} as decimal(9, 4))
                else purchases.net_revenue - costs_by_purchase.item_cost
            end as decimal(18, 4)
        ) as gross_margin,
        coalesce(costs_by_purchase.has_estimated_cost, true) as margin_estimated,
    from purchases
    left join costs_by_purchase
        on purchases.purchase_id = costs_by_purchase.purchase_id
    {% if is_incremental() %}
    -- a purchase merged here may be another customer's (a split child of a rebuilt one)
    where purchases.customer_id in (select customer_id from refresh_int_purchases)
    {% endif %}
),

final as (
    select
        margined.purchase_id,
        margined.customer_id,
        margined.ordered_at,
        margined.order_date,
        margined.order_month,
        margined.channel,
        margined.coupon_code,
        margined.campaign_id,
        margined.orders_merged,
        margined.paid_amount,
        margined.refunded_amount,
        margined.net_revenue,
        margined.discount_amount,
        margined.item_lines,
        margined.gross_margin,
        margined.margin_estimated,
        row_number() over buyer_purchases as order_seq,
        margined.order_date - lag(margined.order_date) over buyer_purchases as days_since_prev,
        row_number() over buyer_purchases = 1 as is_first,
        coalesce(members.member_since <= margined.ordered_at, false) as is_member_at_order,
        -- Bookkeeping of the incremental build (see macros/customers_to_refresh.sql).
        (select _loaded_through from loaded) as _loaded_through,
        (select as_of from {{ ref('int_as_of') }}) as _as_of,
    from margined
    left join members
        on margined.customer_id = members.customer_id
    window buyer_purchases as (
        partition by margined.customer_id
        order by margined.ordered_at, margined.purchase_id
    )
)

select * from final
