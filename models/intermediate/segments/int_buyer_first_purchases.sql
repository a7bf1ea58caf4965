-- One row per buyer: their first purchase and whether they came back within 180 days of it.
-- Shared by product_roles, satisfaction and referral_summary, which all ask the same
-- "matured first purchase, repurchase within 180 days" question of different groups.
-- One pass over the purchases: the buyer's first later purchase day is that of the earliest
-- purchase whose previous one (int_purchases' days_since_prev) is on an earlier day.
-- net_revenue is DECIMAL(18, 2), the type of the money it sums: the readers sum it again,
-- and a 38-digit decimal is far slower to scan.

with

as_of as (

    select as_of from {{ ref('int_as_of') }}

),

purchases as (

    select * from {{ ref('int_purchases') }}

),

buyer_totals as (

    select
        customer_id,
        any_value(purchase_id) filter (where order_seq = 1) as first_purchase_id,
        min(order_date) as first_order_date,
        min(order_date) filter (where days_since_prev > 0) as next_purchase_date,
        count(*) as purchases,
        sum(net_revenue) as net_revenue,
    from purchases
    group by customer_id

),

final as (

    select
        buyer_totals.customer_id,
        buyer_totals.first_purchase_id,
        buyer_totals.first_order_date,
        buyer_totals.purchases,
        cast(buyer_totals.net_revenue as decimal(18, 2)) as net_revenue,
        buyer_totals.first_order_date <= as_of.as_of - 180 as is_matured_180d,
        -- another purchase on a later calendar day, at most 180 days after the first purchase day
        coalesce(buyer_totals.next_purchase_date <= buyer_totals.first_order_date + 180, false)
            as has_repurchase_180d,
    from buyer_totals
    cross join as_of

)

select * from final
