-- One row per buyer of the calibration end (as_of - clv_holdout_days): the BTYD inputs as if
-- the data ended that day, for refitting the CLV models in the backtest, and the distinct
-- purchase days each made in the holdout (calibration end, as_of] as the data stands at as_of.
with

inputs as (
    select * from {{ ref('int_clv_inputs') }}
    where snapshot = 'clv_calibration'
),

purchases as (
    select * from {{ ref('int_purchases') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

-- the distinct purchase days in the holdout (calibration end, as_of]: a purchase starts a
-- day when its previous one (days_since_prev) is on an earlier day or it has none
holdout_days as (
    select
        purchases.customer_id,
        count(*) as holdout_purchase_days,
    from purchases
    cross join as_of
    where purchases.order_date > as_of.as_of - cast({{ var('clv_holdout_days') }} as integer)
        and (purchases.days_since_prev is null or purchases.days_since_prev > 0)
    group by purchases.customer_id
),

final as (
    select
        inputs.customer_id,
        inputs.frequency,
        inputs.recency_days,
        inputs.t_days,
        inputs.monetary_value,
        inputs.first_purchase_date,
        inputs.last_purchase_date,
        inputs.revenue as calibration_revenue,
        inputs.snapshot_date as calibration_end,
        as_of.as_of - inputs.snapshot_date as holdout_days,
        coalesce(holdout_days.holdout_purchase_days, 0) as holdout_purchase_days,
    from inputs
    cross join as_of
    left join holdout_days
        on inputs.customer_id = holdout_days.customer_id
)

select * from final
