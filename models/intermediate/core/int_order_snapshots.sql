-- Every order as it stood at the end of each snapshot day: `as_of`, `clv_calibration`
-- (as_of - clv_holdout_days, the CLV backtest's calibration end) and `rfm_prior` (as_of - 90,
-- where rfm_migration starts). Orders placed after the snapshot day are left out; a refund
-- dated after it has not happened (status paid, nothing refunded); refunds are clamped to
-- [0, paid_amount]. Orders sharing a parent_order_id carry it as purchase_id.
-- A view, not a table: every reader asks for one snapshot (`where snapshot = ...` reaches the
-- scan of raw.orders), and recomputing these row-wise expressions is cheaper than writing
-- the order table's strings a second time.
{{ config(materialized='view') }}

with

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

snapshots as (
    select 'as_of' as snapshot, as_of as snapshot_date from as_of
    union all
    select
        'clv_calibration' as snapshot,
        as_of - cast({{ var('clv_holdout_days') }} as integer) as snapshot_date,
    from as_of
    union all
    select 'rfm_prior' as snapshot, as_of - 90 as snapshot_date from as_of
),

orders_until_snapshot as (
    select
        snapshots.snapshot,
        snapshots.snapshot_date,
        orders.*,
        orders.refunded_at is not null
            and cast(orders.refunded_at as date) > snapshots.snapshot_date as is_refund_after_snapshot,
    from snapshots
    inner join orders
        on orders.order_date <= snapshots.snapshot_date
),

adjusted as (
    select
        snapshot,
        snapshot_date,
        order_id,
        coalesce(parent_order_id, order_id) as purchase_id,
        parent_order_id,
        customer_id,
        ordered_at,
        order_date,
        cast(date_trunc('month', order_date) as date) as order_month,
        status as raw_status,
        case
            when is_refund_after_snapshot and status in ('refunded', 'partially_refunded') then 'paid'
            else status
        end as status,
        channel,
        gross_amount,
        discount_amount,
        paid_amount,
        case
            when is_refund_after_snapshot then cast(0 as decimal(18, 2))
            else greatest(cast(0 as decimal(18, 2)), least(refunded_amount, paid_amount))
        end as refunded_amount,
        case when is_refund_after_snapshot then null else refunded_at end as refunded_at,
        coupon_code,
        campaign_id,
    from orders_until_snapshot
),

final as (
    select
        *,
        status in ('paid', 'partially_refunded') as is_purchase,
    from adjusted
)

select * from final
