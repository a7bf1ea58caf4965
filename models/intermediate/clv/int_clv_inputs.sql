-- One row per (snapshot, buyer): the BTYD sufficient statistics as the data stood at the end
-- of the snapshot day (only `as_of`: int_clv_calibration_buyers computes the `clv_calibration`
-- snapshot itself, by the same rule, from the purchases of the buyers a refresh rebuilds).
-- Purchases on one calendar day merge into one transaction; frequency = distinct purchase
-- days - 1, recency_days = days from the first to the last purchase day, t_days = snapshot day
-- - first purchase day, monetary_value = mean net revenue of the repeat purchase days (0 when
-- frequency = 0). Whole days; the fit divides by 7 for weeks.
-- A view: int_clv_summary reads it once, from int_buyers' per-buyer facts.
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

per_buyer as (
    select * from as_of_per_buyer
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
