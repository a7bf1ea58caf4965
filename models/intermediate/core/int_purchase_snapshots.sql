-- One row per purchase at each snapshot of int_order_snapshots: orders that stood paid or
-- partially refunded then, split orders sharing a parent_order_id merged into one (id = the
-- parent id, time = the earliest child's, amounts summed, customer, channel, coupon and
-- campaign from the earliest child, ties between children broken by order_id as bytes: the
-- purchases_of macro, macros/refresh_rows.sql, which int_purchases shares).
-- Cancelled or refunded children are not part of the purchase.
-- A view: every reader asks for one snapshot (int_clv_inputs for clv_calibration;
-- int_rfm_segments_assigned for rfm_prior), and the filter reaches the scan. int_purchases,
-- the one table written at purchase grain, merges the as_of orders itself, so that an
-- incremental run merges only the purchases of the customers it rebuilds.
{{ config(materialized='view') }}

with

orders as (
    select * from {{ ref('int_order_snapshots') }}
    where is_purchase
),

final as (
    {{ purchases_of('orders') }}
)

select * from final
