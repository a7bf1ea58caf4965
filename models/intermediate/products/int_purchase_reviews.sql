-- One row per reviewed purchase: the rating of its earliest review written by the end of
-- as_of. A review names an order; the orders of a split purchase all lead to the purchase.
-- Reviews of cancelled or fully refunded orders name no purchase and drop out.
-- Incremental by customer, like int_purchases (macros/customers_to_refresh.sql, with the
-- customers whose reviews were loaded or crossed by a moved as_of): the orders of their
-- purchases are found first (the pre_hook's temporary table), then only their reviews are read.
-- The customers and orders are int_purchases' of this run (computed with the reviews) when
-- its rule holds for this table (share='reuse').
{{ config(
    materialized='incremental',
    pre_hook="{{ refresh_customers_hook(this, 'refresh_int_purchase_reviews', reviews=true, share='reuse', before_image='int_purchase_reviews') }}"
) }}
{#- referenced in either kind of run: the dependencies, and so the definition hash, stay the same -#}
{% set orders_as_of = ref('int_orders_as_of') %}

with

as_of as (

    select as_of from {{ ref('int_as_of') }}

),

reviews as (

    select * from {{ ref('stg_shop__reviews') }}
    {% if is_incremental() %}
    where order_id in (select order_id from refresh_int_purchase_reviews_orders)
    {% endif %}

),

orders as (

    -- an incremental run: the pre_hook's temporary table, the same rows for its customers
    select * from
    {% if is_incremental() %} refresh_int_purchase_reviews_orders {% else %} {{ orders_as_of }} {% endif %}

),

purchases as (

    select * from {{ ref('int_purchases') }}
    {% if is_incremental() %}
    where customer_id in (select customer_id from refresh_int_purchase_reviews)
    {% endif %}

),

loaded as (

    -- The newest load among the tables a review row is made of.
    select {{ newest_load([
        'stg_shop__orders',
        'stg_shop__order_items',
        'stg_shop__customers',
        'stg_shop__products',
        'stg_shop__reviews'
    ]) }} as _loaded_through

),

purchase_reviews as (

    select
        purchases.purchase_id,
        purchases.customer_id,
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
        any_value(customer_id) as customer_id,
        -- Bookkeeping of the incremental build (see macros/customers_to_refresh.sql).
        (select _loaded_through from loaded) as _loaded_through,
        (select as_of from as_of) as _as_of,
    from purchase_reviews
    group by purchase_id

)

select * from final
