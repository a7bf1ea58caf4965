-- One row per (snapshot, purchase): the purchases as they stood at as_of (`current`) and at
-- as_of - 90 (`prior`), for rfm_migration. The prior snapshot is rebuilt from the orders "as
-- if the data ended then": an order fully refunded after as_of - 90 was still a purchase on
-- that day, so it cannot simply be read off int_purchases.

with

as_of as (

    select as_of, as_of - 90 as prior_as_of from {{ ref('int_as_of') }}

),

purchases as (

    select * from {{ ref('int_purchases') }}

),

orders as (

    select * from {{ ref('int_orders_as_of') }}

),

current_purchases as (

    select
        'current' as snapshot,
        as_of.as_of as snapshot_date,
        purchases.customer_id,
        purchases.purchase_id,
        purchases.order_date,
    from purchases
    cross join as_of

),

-- paid or partially refunded then, or fully refunded on a later day (int_orders_as_of
-- applies the same day-level rule at as_of; a refund without a date is taken as always
-- refunded: nothing says when it happened)
prior_orders as (

    select
        orders.purchase_id,
        orders.customer_id,
        orders.ordered_at,
    from orders
    cross join as_of
    where orders.order_date <= as_of.prior_as_of
        and (
            orders.status in ('paid', 'partially_refunded')
            or (orders.status = 'refunded' and cast(orders.refunded_at as date) > as_of.prior_as_of)
        )

),

prior_purchases as (

    select
        'prior' as snapshot,
        as_of.prior_as_of as snapshot_date,
        min_by(prior_orders.customer_id, prior_orders.ordered_at) as customer_id,
        prior_orders.purchase_id,
        min(prior_orders.ordered_at)::date as order_date,
    from prior_orders
    cross join as_of
    group by prior_orders.purchase_id, as_of.prior_as_of

),

final as (

    select * from current_purchases
    union all by name
    select * from prior_purchases

)

select * from final
