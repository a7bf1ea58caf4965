-- Every order placed by the end of the as_of day, as it stood then (the `as_of` snapshot of
-- int_order_snapshots): the base of refund_rate and cancel_rate.
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
