-- One row per item line of an order placed by as_of, with its cost: the item's own unit_cost,
-- else the product's, else estimated as quantity x unit_price x (1 - default_margin_rate).
with

order_items as (
    select * from {{ ref('stg_shop__order_items') }}
),

products as (
    select * from {{ ref('stg_shop__products') }}
),

orders as (
    select * from {{ ref('int_orders_as_of') }}
),

items_with_product as (
    select
        order_items.order_id,
        order_items.product_id,
        products.category,
        order_items.quantity,
        order_items.unit_price,
        coalesce(order_items.unit_cost, products.unit_cost) as unit_cost,
    from order_items
    inner join orders
        on order_items.order_id = orders.order_id
    left join products
        on order_items.product_id = products.product_id
),

costed as (
    select
        order_id,
        product_id,
        category,
        quantity,
        unit_price,
        cast(quantity * unit_price as decimal(18, 2)) as item_revenue,
        cast(
            coalesce(
                quantity * unit_cost,
                quantity * unit_price
                    * (1 - cast({{ var('default_margin_rate') }} as decimal(9, 4)))
            ) as decimal(18, 4)
        ) as item_cost,
        unit_cost is null as cost_estimated,
    from items_with_product
),

final as (
    select * from costed
)

select * from final
