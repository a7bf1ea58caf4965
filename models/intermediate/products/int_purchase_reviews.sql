-- One row per reviewed purchase: the rating of its earliest review written by the end of
-- as_of. A review names an order; the orders of a split purchase all lead to the purchase.
-- Reviews of cancelled or fully refunded orders name no purchase and drop out.

with

as_of as (

    select as_of from {{ ref('int_as_of') }}

),

reviews as (

    select * from {{ ref('stg_shop__reviews') }}

),

orders as (

    select * from {{ ref('int_orders_as_of') }}

),

purchases as (

    select * from {{ ref('int_purchases') }}

),

purchase_reviews as (

    select
        purchases.purchase_id,
        reviews.rating,
        reviews.created_at,
        reviews.order_id,
    from reviews
    cross join as_of
    inner join orders
        on orders.order_id = reviews.order_id
    inner join purchases
        on purchases.purchase_id = orders.purchase_id
    where cast(reviews.created_at as date) <= as_of.as_of

),

final as (

    select
        purchase_id,
        arg_min(rating, (created_at, order_id, rating)) as rating,
        min(created_at) as reviewed_at,
        count(*) as reviews,
    from purchase_reviews
    group by purchase_id

)

select * from final
