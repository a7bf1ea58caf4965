-- One row per (cohort_month, months_since_first) from month 0 to the month of as_of, zero
-- activity included: how many of a cohort's buyers bought in each later calendar month, and
-- what they spent.
with

-- not materialized: each reader scans the table for its own columns
buyers as not materialized (
    select * from {{ ref('int_buyers') }}
),

-- not materialized: the first purchases and the later ones are two scans with their filters
purchases as not materialized (
    select * from {{ ref('int_purchases') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

cohort_sizes as (
    select
        cohort_month,
        count(*) as cohort_size,
    from buyers
    group by cohort_month
),

cohort_months as (
    select
        cohort_sizes.cohort_month,
        cohort_sizes.cohort_size,
        cast(months_since_first.generate_series as integer) as months_since_first,
        cast(
            cohort_sizes.cohort_month + to_months(cast(months_since_first.generate_series as integer))
            as date
        ) as activity_month,
    from cohort_sizes
    cross join as_of
    cross join generate_series(
        0,
        datediff('month', cohort_sizes.cohort_month, as_of.as_of_month)
    ) as months_since_first
),

-- each purchase with its buyer's cohort: a first purchase (order_seq 1) is in its own cohort
-- month, so only the later purchases look their cohort up, among the repeat buyers (a join of
-- some two thirds of the purchases with a fraction of the buyers instead of all with all)
cohort_purchases as (
    select
        order_month as cohort_month,
        order_month,
        order_date,
        days_since_prev,
        net_revenue,
        gross_margin,
    from purchases
    where order_seq = 1
    union all
    select
        buyers.cohort_month,
        purchases.order_month,
        purchases.order_date,
        purchases.days_since_prev,
        purchases.net_revenue,
        purchases.gross_margin,
    from purchases
    inner join buyers
        on purchases.customer_id = buyers.customer_id
    where purchases.order_seq >= 2
        and buyers.purchases >= 2
),

-- a buyer is active in a month once: counted on their first purchase of the month, the one
-- whose previous purchase (int_purchases' days_since_prev) is before the month or none
activity as (
    select
        cohort_month,
        order_month as activity_month,
        count(*) filter (
            where coalesce(order_date - cast(days_since_prev as integer) < order_month, true)
        ) as active_customers,
        count(*) as orders,
        sum(net_revenue) as revenue,
        sum(gross_margin) as margin,
    from cohort_purchases
    group by cohort_month, order_month
),

filled as (
    select
        cohort_months.cohort_month,
        cohort_months.months_since_first,
        cohort_months.activity_month,
        cohort_months.cohort_size,
        coalesce(activity.active_customers, 0) as active_customers,
        coalesce(activity.orders, 0) as orders,
        coalesce(activity.revenue, 0) as revenue,
        coalesce(activity.margin, 0) as margin,
    from cohort_months
    left join activity
        on cohort_months.cohort_month = activity.cohort_month
        and cohort_months.activity_month = activity.activity_month
),

accumulated as (
    select
        *,
        first_value(revenue) over cohort as month_0_revenue,
        sum(revenue) over cohort_to_date as cumulative_revenue,
        sum(margin) over cohort_to_date as cumulative_margin,
    from filled
    window
        cohort as (partition by cohort_month order by months_since_first),
        cohort_to_date as (
            partition by cohort_month
            order by months_since_first
            rows between unbounded preceding and current row
        )
),

final as (
    select
        accumulated.cohort_month,
        accumulated.months_since_first,
        accumulated.cohort_size,
        accumulated.active_customers,
        accumulated.active_customers / accumulated.cohort_size as retention_rate,
        accumulated.orders,
        accumulated.revenue,
        accumulated.margin,
        case
            when accumulated.month_0_revenue > 0
                then accumulated.revenue / accumulated.month_0_revenue
        end as revenue_retention,
        accumulated.cumulative_revenue / accumulated.cohort_size as cumulative_revenue_per_customer,
        accumulated.cumulative_margin / accumulated.cohort_size as cumulative_margin_per_customer,
        accumulated.activity_month = as_of.as_of_month
            and not as_of.is_as_of_month_complete as is_partial,
        accumulated.activity_month,
        accumulated.cumulative_revenue,
        accumulated.cumulative_margin,
    from accumulated
    cross join as_of
)

select * from final
