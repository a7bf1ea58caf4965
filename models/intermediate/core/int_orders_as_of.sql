-- Every order placed by the end of the as_of day, as it stood then (the `as_of` snapshot of
-- int_order_snapshots): the base of refund_rate and cancel_rate.
-- A view: it is the orders row for row with a few expressions; each reader (purchases, items,
-- reviews, refund and cancel rates) scans raw.orders for less than it would cost to write
-- these 18 columns again.
{{ config(materialized='view') }}

with

snapshots as (
    select * from {{ ref('int_order_snapshots') }}
),

final as (
    select
        order_id,
        purchase_id,
        parent_order_id,
        customer_id,
        ordered_at,
        order_date,
        order_month,
        raw_status,
        status,
        channel,
        gross_amount,
        discount_amount,
        paid_amount,
        refunded_amount,
        refunded_at,
        coupon_code,
        campaign_id,
        is_purchase,
    from snapshots
    where snapshot = 'as_of'
)

select * from final
