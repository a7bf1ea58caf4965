-- One row per item line of a purchase (the items of all its child orders), with the
-- purchase's customer, time and order_seq, and the item's known or estimated cost.
with

purchases as (
    select * from {{ ref('int_purchases') }}
),

orders as (
    select * from {{ ref('int_orders_as_of') }}
    where is_purchase
),

order_items as (
    select * from {{ ref('int_order_items_costed') }}
),

joined as (
    select
        purchases.purchase_id,
        order_items.order_id,
        purchases.customer_id,
        purchases.ordered_at,
        purchases.order_date,
        purchases.order_seq,
        order_items.product_id,
        order_items.category,
        order_items.quantity,
        order_items.unit_price,
        order_items.item_revenue,
        order_items.item_cost,
        order_items.cost_estimated,
    from order_items
    inner join orders
        on order_items.order_id = orders.order_id
    inner join purchases
        on orders.purchase_id = purchases.purchase_id
),

final as (
    select * from joined
)

select * from final
