-- One row per purchase, as the metric contract publishes it (split orders merged, refunds
-- as they stood at as_of). Per-customer: stays in the warehouse, never reaches the site.
-- A view: it is int_purchases with the contract's names, so reading it costs a scan of that
-- table, while writing it again would cost a purchase-grain table per build.
{{ config(materialized='view') }}

with

purchases as (
    select * from {{ ref('int_purchases') }}
),

final as (
    select
        purchase_id as order_id,
        customer_id,
        ordered_at,
        order_date,
        order_month,
        order_seq,
        days_since_prev,
        net_revenue,
        gross_margin,
        margin_estimated,
        discount_amount,
        coupon_code,
        channel,
        campaign_id,
        is_member_at_order,
        is_first,
        paid_amount,
        refunded_amount,
        orders_merged,
    from purchases
)

select * from final
