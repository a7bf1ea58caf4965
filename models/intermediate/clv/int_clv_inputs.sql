-- One row per (snapshot, buyer): the BTYD sufficient statistics as the data stood at the end
-- of the snapshot day (`as_of` and `clv_calibration`). Purchases on one calendar day merge
-- into one transaction; frequency = distinct purchase days - 1, recency_days = days from the
-- first to the last purchase day, t_days = snapshot day - first purchase day, monetary_value =
-- mean net revenue of the repeat purchase days (0 when frequency = 0). Whole days; the fit
-- divides by 7 for weeks.
-- A view: int_clv_summary reads the as_of snapshot and int_clv_calibration the other, each
-- once, and each snapshot is its own branch of the union below, so only the one read is
-- computed.
{{ config(materialized='view') }}

with

as_of as (
    select * from {{ ref('int_as_of') }}
),

-- as_of: the purchases int_purchases already wrote; clv_calibration: the purchases as the
-- orders stood then (int_purchase_snapshots is a view: only that snapshot is computed)
as_of_days as (
    select
        'as_of' as snapshot,
        as_of.as_of as snapshot_date,
        purchases.customer_id,
        purchases.order_date,
        sum(purchases.net_revenue) as day_revenue,
    from {{ ref('int_purchases') }} as purchases
    cross join as_of
    group by as_of.as_of, purchases.customer_id, purchases.order_date
),

calibration_days as (
    select
        snapshot,
        snapshot_date,
        customer_id,
        order_date,
        sum(net_revenue) as day_revenue,
    from {{ ref('int_purchase_snapshots') }}
    where snapshot = 'clv_calibration'
    group by snapshot, snapshot_date, customer_id, order_date
),

purchase_days as (
    select * from as_of_days
    union all
    select * from calibration_days
),

-- the repeat days' revenue is everything but the first day's
per_buyer as (
    select
        snapshot,
        snapshot_date,
        customer_id,
        count(*) - 1 as frequency,
        min(order_date) as first_purchase_date,
        max(order_date) as last_purchase_date,
        sum(day_revenue) as revenue,
        sum(day_revenue) - arg_min(day_revenue, order_date) as repeat_revenue,
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
