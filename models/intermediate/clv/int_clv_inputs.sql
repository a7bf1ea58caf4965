-- One row per (snapshot, buyer): the BTYD sufficient statistics as the data stood at the end
-- of the snapshot day (`as_of` and `clv_calibration`). Purchases on one calendar day merge
-- into one transaction; frequency = distinct purchase days - 1, recency_days = days from the
-- first to the last purchase day, t_days = snapshot day - first purchase day, monetary_value =
-- mean net revenue of the repeat purchase days (0 when frequency = 0). Whole days; the fit
-- divides by 7 for weeks.
-- A view: int_clv_summary reads the as_of snapshot (from int_buyers' per-buyer facts) and
-- int_clv_calibration_buyers the other (for the customers a refresh rebuilds), each once, and
-- each snapshot is its own branch of the union below, so only the one read is computed.
{{ config(materialized='view') }}

with

as_of as (
    select * from {{ ref('int_as_of') }}
),

-- as_of: the buyer facts of int_buyers (its purchase days, the first day's revenue), which
-- keeps them per buyer across refreshes
as_of_per_buyer as (
    select
        'as_of' as snapshot,
        as_of.as_of as snapshot_date,
        buyers.customer_id,
        buyers.purchase_days - 1 as frequency,
        buyers.first_purchase_date,
        buyers.last_purchase_date,
        buyers.net_revenue as revenue,
        buyers.net_revenue - buyers.first_day_revenue as repeat_revenue,
        buyers.gross_margin,
        hash(buyers.first_purchase_id) as purchase_hash,
    from {{ ref('int_buyers') }} as buyers
    cross join as_of
),

-- clv_calibration: the purchases as the orders stood then (int_purchase_snapshots is a view:
-- only that snapshot is computed), merged by day
calibration_days as (
    select
        snapshot,
        snapshot_date,
        customer_id,
        order_date,
        sum(net_revenue) as day_revenue,
        min(hash(purchase_id)) as purchase_hash,
    from {{ ref('int_purchase_snapshots') }}
    where snapshot = 'clv_calibration'
    group by snapshot, snapshot_date, customer_id, order_date
),

-- the repeat days' revenue is everything but the first day's
calibration_per_buyer as (
    select
        snapshot,
        snapshot_date,
        customer_id,
        count(*) - 1 as frequency,
        min(order_date) as first_purchase_date,
        max(order_date) as last_purchase_date,
        sum(day_revenue) as revenue,
        sum(day_revenue) - arg_min(day_revenue, order_date) as repeat_revenue,
        -- item costs as they stood then are not kept: no margin
        cast(null as decimal(38, 4)) as gross_margin,
        min(purchase_hash) as purchase_hash,
    from calibration_days
    group by snapshot, snapshot_date, customer_id
),

per_buyer as (
    select * from as_of_per_buyer
    union all
    select * from calibration_per_buyer
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
        gross_margin,
        purchase_hash,
    from per_buyer
)

select * from final
