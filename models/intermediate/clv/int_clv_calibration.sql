-- One row per buyer of the calibration end (as_of - clv_holdout_days): the BTYD inputs as if
-- the data ended that day, for refitting the CLV models in the backtest, and the distinct
-- purchase days each made in the holdout (calibration end, as_of] as the data stands at as_of.
with

calibration_purchases as (
    select * from {{ ref('int_purchase_snapshots') }}
    where snapshot = 'clv_calibration'
),

purchases as (
    select * from {{ ref('int_purchases') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

purchase_days as (
    select
        customer_id,
        order_date,
        snapshot_date as calibration_end,
        sum(net_revenue) as day_revenue,
        row_number() over (partition by customer_id order by order_date) as day_seq,
    from calibration_purchases
    group by customer_id, order_date, snapshot_date
),

per_buyer as (
    select
        customer_id,
        calibration_end,
        count(*) - 1 as frequency,
        min(order_date) as first_purchase_date,
        max(order_date) as last_purchase_date,
        sum(day_revenue) as calibration_revenue,
        sum(day_revenue) filter (where day_seq > 1) as repeat_revenue,
    from purchase_days
    group by customer_id, calibration_end
),

holdout_days as (
    select
        purchases.customer_id,
        count(distinct purchases.order_date) as holdout_purchase_days,
    from purchases
    inner join per_buyer
        on purchases.customer_id = per_buyer.customer_id
        and purchases.order_date > per_buyer.calibration_end
    group by purchases.customer_id
),

final as (
    select
        per_buyer.customer_id,
        per_buyer.frequency,
        per_buyer.last_purchase_date - per_buyer.first_purchase_date as recency_days,
        per_buyer.calibration_end - per_buyer.first_purchase_date as t_days,
        case
            when per_buyer.frequency > 0 then per_buyer.repeat_revenue / per_buyer.frequency
            else 0
        end as monetary_value,
        per_buyer.first_purchase_date,
        per_buyer.last_purchase_date,
        per_buyer.calibration_revenue,
        per_buyer.calibration_end,
        as_of.as_of - per_buyer.calibration_end as holdout_days,
        coalesce(holdout_days.holdout_purchase_days, 0) as holdout_purchase_days,
    from per_buyer
    cross join as_of
    left join holdout_days
        on per_buyer.customer_id = holdout_days.customer_id
)

select * from final
