-- One row per purchase at as_of (the `as_of` snapshot of int_purchase_snapshots), with its
-- gross margin: net revenue minus the item costs of its child orders (int_purchase_items,
-- unknown costs estimated); a purchase without any item line: net revenue x
-- default_margin_rate.
with

purchases as (
    select * from {{ ref('int_purchase_snapshots') }}
    where snapshot = 'as_of'
),

purchase_items as (
    select * from {{ ref('int_purchase_items') }}
),

customers as (
    select * from {{ ref('stg_shop__customers') }}
),

costs_by_purchase as (
    select
        purchase_id,
        count(*) as item_lines,
        sum(item_cost) as item_cost,
        bool_or(cost_estimated) as has_estimated_cost,
    from purchase_items
    group by purchase_id
),

margined as (
    select
        purchases.*,
        coalesce(costs_by_purchase.item_lines, 0) as item_lines,
        cast(
            case
                when costs_by_purchase.item_lines is null
                    then purchases.net_revenue
                        * cast({{ var('default_margin_rate') }} as decimal(9, 4))
                else purchases.net_revenue - costs_by_purchase.item_cost
            end as decimal(18, 4)
        ) as gross_margin,
        coalesce(costs_by_purchase.has_estimated_cost, true) as margin_estimated,
    from purchases
    left join costs_by_purchase
        on purchases.purchase_id = costs_by_purchase.purchase_id
),

final as (
    select
        margined.purchase_id,
        margined.customer_id,
        margined.ordered_at,
        margined.order_date,
        margined.order_month,
        margined.channel,
        margined.coupon_code,
        margined.campaign_id,
        margined.orders_merged,
        margined.paid_amount,
        margined.refunded_amount,
        margined.net_revenue,
        margined.discount_amount,
        margined.item_lines,
        margined.gross_margin,
        margined.margin_estimated,
        margined.order_seq,
        margined.days_since_prev,
        margined.order_seq = 1 as is_first,
        coalesce(customers.member_since <= margined.ordered_at, false) as is_member_at_order,
    from margined
    left join customers
        on margined.customer_id = customers.customer_id
)

select * from final
