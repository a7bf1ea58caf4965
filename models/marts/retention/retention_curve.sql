-- One row per months_since_first: the size-weighted retention and cumulative revenue per
-- customer over the cohorts whose month cohort_month + k is complete (its last day <= as_of).
with

cohorts as (
    select * from {{ ref('retention_cohorts') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

complete_cohort_months as (
    select cohorts.*
    from cohorts
    cross join as_of
    where cohorts.activity_month <= as_of.last_complete_month
),

final as (
    select
        months_since_first,
        count(*) as cohorts_included,
        sum(cohort_size) as buyers_included,
        sum(active_customers) / sum(cohort_size) as retention_rate,
        sum(cumulative_revenue) / sum(cohort_size) as cumulative_revenue_per_customer,
    from complete_cohort_months
    group by months_since_first
    order by months_since_first
)

select * from final
