-- One row per buyer of the calibration end (as_of - clv_holdout_days): the BTYD inputs as if
-- the data ended that day, for refitting the CLV models in the backtest, and the distinct
-- purchase days each made in the holdout (calibration end, as_of] as the data stands at as_of.
-- A cheap pass over the facts int_clv_calibration_buyers keeps per customer: only the
-- calibration end and T move for everybody as as_of does. A view: clv_backtest reads it once,
-- grouped, and a table would write every buyer again each night.
{{ config(materialized='view') }}

with

buyers as (
    select * from {{ ref('int_clv_calibration_buyers') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

calibration as (
    select
        as_of.as_of,
        as_of.as_of - cast({{ var('clv_holdout_days') }} as integer) as calibration_end,
    from as_of
),

final as (
    select
        buyers.customer_id,
        buyers.frequency,
        buyers.recency_days,
        calibration.calibration_end - buyers.first_purchase_date as t_days,
        buyers.monetary_value,
        buyers.first_purchase_date,
        buyers.last_purchase_date,
        buyers.calibration_revenue,
        calibration.calibration_end,
        calibration.as_of - calibration.calibration_end as holdout_days,
        buyers.holdout_purchase_days,
    from buyers
    cross join calibration
)

select * from final
