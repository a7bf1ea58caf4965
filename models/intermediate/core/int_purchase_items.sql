-- One row per item line of a purchase (the item lines of all its child orders), with the
-- purchase's buyer, time and order_seq, and the line's cost: quantity x the line's
-- unit_cost, else x the product's unit_cost, else estimated as quantity x unit_price x
-- (1 - default_margin_rate) (the item_cost macro, as in int_purchases' gross margin).
-- Incremental by customer, like int_purchases: a run rebuilds the item lines of the customers
-- whose history changed and keeps everybody else's. The orders of their purchases are found
-- first (the pre_hook's temporary table: every child of a split purchase, whoever it names as
-- buyer), then only those orders' item lines are read. The customers and orders are
-- int_purchases' of this run when its rule holds for this table (share='reuse').
{{ config(
    materialized='incremental',
    pre_hook="{{ refresh_customers_hook(this, 'refresh_int_purchase_items', share='reuse', before_image='int_purchase_items') }}"
) }}
{#- referenced in either kind of run: the dependencies, and so the definition hash, stay the same -#}
{% set orders_as_of = ref('int_orders_as_of') %}

with

order_items as (
    select * from {{ ref('stg_shop__order_items') }}
    {% if is_incremental() %}
    where order_id in (select order_id from refresh_int_purchase_items_orders)
    {% endif %}
),

products as (
    select * from {{ ref('stg_shop__products') }}
),

orders as (
    -- an incremental run: the pre_hook's temporary table, the same rows for its customers
    select * from
    {% if is_incremental() %} refresh_int_purchase_items_orders {% else %} {{ orders_as_of }} {% endif %}
    where is_purchase
),

purchases as (
    select * from {{ ref('int_purchases') }}
    {% if is_incremental() %}
        where customer_id in (select customer_id from refresh_int_purchase_items)
    {% endif %}
),

joined as (
    select
        purchases.purchase_id,
        purchases.customer_id,
        purchases.ordered_at,
        purchases.order_date,
        purchases.order_seq,
        order_items.product_id,
        products.category,
        order_items.quantity,
        order_items.unit_price,
        coalesce(order_items.unit_cost, products.unit_cost) as unit_cost,
        purchases._loaded_through,
        purchases._as_of,
    from order_items
    inner join orders
        on order_items.order_id = orders.order_id
    inner join purchases
        on orders.purchase_id = purchases.purchase_id
    left join products
        on order_items.product_id = products.product_id
),

final as (
    select
        purchase_id,
        customer_id,
        ordered_at,
        order_date,
        order_seq,
        product_id,
        category,
        quantity,
        unit_price,
        cast(quantity * unit_price as decimal(18, 2)) as item_revenue,
        {{ item_cost('quantity', 'unit_price', 'unit_cost') }} as item_cost,
        unit_cost is null as cost_estimated,
        -- Bookkeeping of the incremental build (see macros/customers_to_refresh.sql).
        _loaded_through,
        _as_of,
    from joined
)

select * from final
