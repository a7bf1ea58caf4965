-- One row per month churn_monthly reports: the complete months from the first one whose
-- first day is at least churn_days after the earliest purchase (before that nobody can
-- lapse) to the last complete month.
with

purchases as (
    select * from {{ ref('int_purchases') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

bounds as (
    select
        -- The first month whose first day is on or after earliest purchase + churn_days.
        cast(date_trunc('month', min(purchases.order_date) + as_of.churn_days - 1) + interval 1 month as date)
            as first_month,
        as_of.last_complete_month,
        as_of.churn_days,
    from purchases
    cross join as_of
    group by as_of.last_complete_month, as_of.churn_days
),

months as (
    select
        cast(spine.generate_series as date) as month,
        bounds.churn_days,
    from bounds
    cross join generate_series(
        cast(bounds.first_month as timestamp),
        cast(bounds.last_complete_month as timestamp),
        interval 1 month
    ) as spine
),

final as (
    select
        month,
        cast(last_day(month) as date) as month_end,
        cast(month + interval 1 month as date) as next_month,
        churn_days,
    from months
)

select * from final
