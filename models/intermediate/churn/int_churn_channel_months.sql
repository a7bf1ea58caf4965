-- One row per (month of int_churn_months, acquisition_channel of the buyers): the churn flows
-- of churn_monthly for that channel's buyers. Computed from each buyer's purchase days, not
-- by joining buyers to months: with C = churn_days, a purchase day d followed by the next one
-- n (none: never) is the buyer's latest purchase before every first day in (d, n], so the
-- buyer is active on the first days of the months in (d, min(n, d + C)] (a "spell"), and
-- lapses in the month of d + C when n is after that month's last day. Because C >= 31, the
-- month of d + C starts after d, so that lapse is always inside the spell.
with

months as (
    select * from {{ ref('int_churn_months') }}
),

purchases as (
    select * from {{ ref('int_purchases') }}
),

buyers as (
    select * from {{ ref('int_buyers') }}
),

churn_days as (
    select any_value(churn_days) as churn_days from months
),

purchase_days as (
    select
        customer_id,
        order_date,
        sum(net_revenue) as day_revenue,
    from purchases
    group by customer_id, order_date
),

-- each purchase day with its neighbours and the buyer's net revenue up to and including it
sequenced_days as (
    select
        purchase_days.customer_id,
        purchase_days.order_date,
        lag(purchase_days.order_date) over buyer_days as previous_date,
        lead(purchase_days.order_date) over buyer_days as next_date,
        sum(purchase_days.day_revenue) over (
            buyer_days rows between unbounded preceding and current row
        ) as revenue_to_date,
    from purchase_days
    window buyer_days as (partition by purchase_days.customer_id order by purchase_days.order_date)
),

days_with_buyer as (
    select
        sequenced_days.*,
        buyers.acquisition_channel,
        cast(date_trunc('month', sequenced_days.order_date) as date) as order_month,
        churn_days.churn_days,
        -- the last first-of-month the day keeps the buyer active through
        cast(date_trunc(
            'month',
            least(coalesce(sequenced_days.next_date, sequenced_days.order_date + churn_days.churn_days),
                sequenced_days.order_date + churn_days.churn_days)
        ) as date) as last_active_month,
        cast(date_trunc('month', sequenced_days.order_date + churn_days.churn_days) as date) as lapse_month,
        coalesce(
            sequenced_days.next_date > last_day(sequenced_days.order_date + churn_days.churn_days),
            true
        ) as lapses,
    from sequenced_days
    cross join churn_days
    inner join buyers
        on sequenced_days.customer_id = buyers.customer_id
),

-- one row per (buyer, month whose first day the buyer is active on), from the first reported
-- month to the month after the last one (its first day is where the last month ends)
active_months as (
    select
        days_with_buyer.customer_id,
        days_with_buyer.acquisition_channel,
        days_with_buyer.revenue_to_date,
        cast(spell.month as date) as month,
        cast(spell.month as date) = days_with_buyer.lapse_month and days_with_buyer.lapses as is_churned,
    from days_with_buyer
    cross join (select min(month) as first_month, max(next_month) as last_month from months) as bounds
    cross join unnest(generate_series(
        cast(greatest(days_with_buyer.order_month + interval 1 month, bounds.first_month) as timestamp),
        cast(least(days_with_buyer.last_active_month, bounds.last_month) as timestamp),
        interval 1 month
    )) as spell(month)
),

-- net revenue over first_day - 365 .. first_day - 1: everything up to the latest purchase
-- (before the first day) minus everything up to first_day - 366
active_revenue as (
    select
        active_months.month,
        active_months.acquisition_channel,
        active_months.is_churned,
        active_months.revenue_to_date - coalesce(year_before.revenue_to_date, 0) as revenue_365d_before,
    from active_months
    asof left join sequenced_days as year_before
        on active_months.customer_id = year_before.customer_id
        and active_months.month - 366 >= year_before.order_date
),

active_flows as (
    select
        month,
        acquisition_channel,
        count(*) as active_at_start,
        count(*) filter (where is_churned) as churned,
        sum(revenue_365d_before) as active_revenue_365d,
        coalesce(sum(revenue_365d_before) filter (where is_churned), 0) as churned_revenue_365d,
    from active_revenue
    group by month, acquisition_channel
),

-- arrivals: the first purchase day of a month of the buyer; new when it is the first ever,
-- reactivated when the previous purchase day is more than churn_days before the month
arrival_flows as (
    select
        order_month as month,
        acquisition_channel,
        count(*) filter (where previous_date is null) as new_buyers,
        count(*) filter (where previous_date < order_month - churn_days) as reactivated,
    from days_with_buyer
    where previous_date is null or previous_date < order_month
    group by order_month, acquisition_channel
),

channels as (
    select distinct acquisition_channel from buyers
),

final as (
    select
        months.month,
        channels.acquisition_channel,
        coalesce(active_flows.active_at_start, 0) as active_at_start,
        coalesce(active_flows.churned, 0) as churned,
        coalesce(arrival_flows.new_buyers, 0) as new_buyers,
        coalesce(arrival_flows.reactivated, 0) as reactivated,
        coalesce(next_month_flows.active_at_start, 0) as active_at_end,
        coalesce(active_flows.active_revenue_365d, 0) as active_revenue_365d,
        coalesce(active_flows.churned_revenue_365d, 0) as churned_revenue_365d,
    from months
    cross join channels
    left join active_flows
        on active_flows.month = months.month
        and active_flows.acquisition_channel is not distinct from channels.acquisition_channel
    left join active_flows as next_month_flows
        on next_month_flows.month = months.next_month
        and next_month_flows.acquisition_channel is not distinct from channels.acquisition_channel
    left join arrival_flows
        on arrival_flows.month = months.month
        and arrival_flows.acquisition_channel is not distinct from channels.acquisition_channel
)

select * from final
