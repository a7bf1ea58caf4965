-- One row per purchase at each snapshot of int_order_snapshots: orders that stood paid or
-- partially refunded then, split orders sharing a parent_order_id merged into one (id = the
-- parent id, time = the earliest child's, amounts summed, customer, channel, coupon and
-- campaign from the earliest child, ties between children broken by order_id as bytes).
-- Cancelled or refunded children are not part of the purchase.
with

orders as (
    select * from {{ ref('int_order_snapshots') }}
    where is_purchase
),

children_ranked as (
    select
        *,
        row_number() over (
            partition by snapshot, purchase_id
            order by ordered_at, order_id
        ) as child_rank,
    from orders
),

amounts_summed as (
    select
        snapshot,
        purchase_id,
        min(ordered_at) as ordered_at,
        count(*) as orders_merged,
        sum(paid_amount) as paid_amount,
        sum(refunded_amount) as refunded_amount,
        sum(discount_amount) as discount_amount,
    from children_ranked
    group by snapshot, purchase_id
),

earliest_child as (
    select
        snapshot,
        snapshot_date,
        purchase_id,
        customer_id,
        channel,
        coupon_code,
        campaign_id,
    from children_ranked
    where child_rank = 1
),

merged as (
    select
        earliest_child.snapshot,
        earliest_child.snapshot_date,
        amounts_summed.purchase_id,
        earliest_child.customer_id,
        amounts_summed.ordered_at,
        cast(amounts_summed.ordered_at as date) as order_date,
        cast(date_trunc('month', amounts_summed.ordered_at) as date) as order_month,
        earliest_child.channel,
        earliest_child.coupon_code,
        earliest_child.campaign_id,
        amounts_summed.orders_merged,
        amounts_summed.paid_amount,
        amounts_summed.refunded_amount,
        amounts_summed.paid_amount - amounts_summed.refunded_amount as net_revenue,
        amounts_summed.discount_amount,
    from amounts_summed
    inner join earliest_child
        on amounts_summed.snapshot = earliest_child.snapshot
        and amounts_summed.purchase_id = earliest_child.purchase_id
),

final as (
    select
        *,
        row_number() over buyer_purchases as order_seq,
        order_date - lag(order_date) over buyer_purchases as days_since_prev,
    from merged
    window buyer_purchases as (
        partition by snapshot, customer_id
        order by ordered_at, purchase_id
    )
)

select * from final
