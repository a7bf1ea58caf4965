-- Every order as it stood at the end of each snapshot day: `as_of`, `clv_calibration`
-- (as_of - clv_holdout_days, the CLV backtest's calibration end) and `rfm_prior` (as_of - 90,
-- where rfm_migration starts). Orders placed after the snapshot day are left out; a refund
-- dated after it has not happened (status paid, nothing refunded); refunds are clamped to
-- [0, paid_amount]. Orders sharing a parent_order_id carry it as purchase_id. The rule is the
-- order_snapshot_rows macro (macros/refresh_rows.sql): an incremental run applies it
-- to the few orders it rebuilds (refresh_customers_hook) rather than filter this view.
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

final as (
    {{ order_snapshot_rows('orders', 'snapshots') }}
)

select * from final
