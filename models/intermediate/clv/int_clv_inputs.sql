-- One row per (snapshot, buyer): the BTYD sufficient statistics as the data stood at the end
-- of the snapshot day (int_purchase_snapshots: `as_of` and `clv_calibration`). Purchases on one
-- calendar day merge into one transaction; frequency = distinct purchase days - 1,
-- recency_days = days from the first to the last purchase day, t_days = snapshot day - first
-- purchase day, monetary_value = mean net revenue of the repeat purchase days (0 when
-- frequency = 0). Whole days; the fit divides by 7 for weeks.
with

as_of as (
    select * from {{ ref('int_as_of') }}
),

purchases as (
    -- as_of: the purchases already written by int_purchases; clv_calibration: computed from
    -- the orders as they stood then (a view, only this snapshot is computed).
    select
        'as_of' as snapshot,
        as_of.as_of as snapshot_date,
        int_purchases.customer_id,
        int_purchases.order_date,
        int_purchases.net_revenue,
    from {{ ref('int_purchases') }} as int_purchases
    cross join as_of
    union all
    select
        snapshot,
        snapshot_date,
        customer_id,
        order_date,
        net_revenue,
    from {{ ref('int_purchase_snapshots') }}
    where snapshot = 'clv_calibration'
),

purchase_days as (
    select
        snapshot,
        snapshot_date,
        customer_id,
        order_date,
        sum(net_revenue) as day_revenue,
        row_number() over (partition by snapshot, customer_id order by order_date) as day_seq,
    from purchases
    group by snapshot, snapshot_date, customer_id, order_date
),

per_buyer as (
    select
        snapshot,
        snapshot_date,
        customer_id,
        count(*) - 1 as frequency,
        min(order_date) as first_purchase_date,
        max(order_date) as last_purchase_date,
        sum(day_revenue) as revenue,
        sum(day_revenue) filter (where day_seq > 1) as repeat_revenue,
    from purchase_days
    group by snapshot, snapshot_date, customer_id
),

final as (
    select
        snapshot,
        snapshot_date,
        customer_id,
        frequency,
        last_purchase_date - first_purchase_date as recency_days,
        snapshot_date - first_purchase_date as t_days,
        case when frequency > 0 then repeat_revenue / frequency else 0 end as monetary_value,
        first_purchase_date,
        last_purchase_date,
        revenue,
    from per_buyer
)

select * from final
