-- One row per purchase at each snapshot of int_order_snapshots: orders that stood paid or
-- partially refunded then, split orders sharing a parent_order_id merged into one (id = the
-- parent id, time = the earliest child's, amounts summed, customer, channel, coupon and
-- campaign from the earliest child, ties between children broken by order_id as bytes).
-- Cancelled or refunded children are not part of the purchase.
-- A view: every reader asks for one snapshot (int_purchases for as_of, which adds order_seq
-- and margins and is the one table written at purchase grain; int_clv_inputs for
-- clv_calibration; int_rfm_segments_assigned for rfm_prior), and the filter reaches the scan.
{{ config(materialized='view') }}

with

orders as (
    select * from {{ ref('int_order_snapshots') }}
    where is_purchase
),

parent_ids as (
    -- Per snapshot, so that a reader's `where snapshot = ...` reaches this scan too.
    select distinct snapshot, parent_order_id as purchase_id from orders where parent_order_id is not null
),

single_orders as (
    -- Most purchases are one order: no aggregation needed.
    select
        orders.snapshot,
        orders.snapshot_date,
        orders.purchase_id,
        orders.customer_id,
        orders.ordered_at,
        orders.order_date,
        orders.order_month,
        orders.channel,
        orders.coupon_code,
        orders.campaign_id,
        1 as orders_merged,
        orders.paid_amount,
        orders.refunded_amount,
        cast(orders.paid_amount - orders.refunded_amount as decimal(18, 2)) as net_revenue,
        orders.discount_amount,
    from orders
    anti join parent_ids
        on orders.snapshot = parent_ids.snapshot
        and orders.purchase_id = parent_ids.purchase_id
),

split_orders_merged as (
    -- The earliest child is the one with the smallest (ordered_at, order_id).
    select
        orders.snapshot,
        any_value(orders.snapshot_date) as snapshot_date,
        orders.purchase_id,
        arg_min(orders.customer_id, (orders.ordered_at, orders.order_id)) as customer_id,
        min(orders.ordered_at) as ordered_at,
        cast(min(orders.ordered_at) as date) as order_date,
        cast(date_trunc('month', min(orders.ordered_at)) as date) as order_month,
        arg_min(orders.channel, (orders.ordered_at, orders.order_id)) as channel,
        arg_min(orders.coupon_code, (orders.ordered_at, orders.order_id)) as coupon_code,
        arg_min(orders.campaign_id, (orders.ordered_at, orders.order_id)) as campaign_id,
        count(*) as orders_merged,
        -- Sums back to the contract's money type: DECIMAL(38, 2) is twice as wide and slower.
        cast(sum(orders.paid_amount) as decimal(18, 2)) as paid_amount,
        cast(sum(orders.refunded_amount) as decimal(18, 2)) as refunded_amount,
        cast(sum(orders.paid_amount) - sum(orders.refunded_amount) as decimal(18, 2)) as net_revenue,
        cast(sum(orders.discount_amount) as decimal(18, 2)) as discount_amount,
    from orders
    semi join parent_ids
        on orders.snapshot = parent_ids.snapshot
        and orders.purchase_id = parent_ids.purchase_id
    group by orders.snapshot, orders.purchase_id
),

final as (
    select * from single_orders
    union all
    select * from split_orders_merged
)

select * from final
