-- One row per buyer of the calibration end (as_of - clv_holdout_days): the BTYD inputs as if
-- the data ended that day, for refitting the CLV models in the backtest, and the distinct
-- purchase days each made in the holdout (calibration end, as_of] as the data stands at as_of.
with

-- read twice below: materialized, so the calibration snapshot (a view) is computed once
inputs as materialized (
    select * from {{ ref('int_clv_inputs') }}
    where snapshot = 'clv_calibration'
),

purchases as (
    select * from {{ ref('int_purchases') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

holdout_days as (
    select
        purchases.customer_id,
        count(distinct purchases.order_date) as holdout_purchase_days,
    from purchases
    inner join inputs
        on purchases.customer_id = inputs.customer_id
        and purchases.order_date > inputs.snapshot_date
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
