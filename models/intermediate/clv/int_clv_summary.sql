-- One row per buyer: the BTYD inputs at as_of for the CLV fits (customer_value). Purchases on
-- one calendar day merge into one transaction; frequency = distinct purchase days - 1,
-- recency_days = days from the first to the last purchase day, t_days = as_of - first
-- purchase day, monetary_value = mean net revenue of the repeat purchase days (0 when
-- frequency = 0). Day counts are whole days; the fit divides by 7 for weeks.
with

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
        sum(net_revenue) as day_revenue,
        sum(gross_margin) as day_margin,
        row_number() over (partition by customer_id order by order_date) as day_seq,
    from purchases
    group by customer_id, order_date
),

per_buyer as (
    select
        customer_id,
        count(*) - 1 as frequency,
        min(order_date) as first_purchase_date,
        max(order_date) as last_purchase_date,
        sum(day_revenue) as historical_revenue,
        sum(day_margin) as historical_margin,
        sum(day_revenue) filter (where day_seq > 1) as repeat_revenue,
    from purchase_days
    group by customer_id
),

final as (
    select
        per_buyer.customer_id,
        per_buyer.frequency,
        per_buyer.last_purchase_date - per_buyer.first_purchase_date as recency_days,
        as_of.as_of - per_buyer.first_purchase_date as t_days,
        case
            when per_buyer.frequency > 0 then per_buyer.repeat_revenue / per_buyer.frequency
            else 0
        end as monetary_value,
        per_buyer.first_purchase_date,
        per_buyer.last_purchase_date,
        per_buyer.historical_revenue,
        per_buyer.historical_margin,
    from per_buyer
    cross join as_of
)

select * from final
