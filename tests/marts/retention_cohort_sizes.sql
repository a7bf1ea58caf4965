-- Cohort sizes are consistent across months and match the buyers whose first purchase fell in
-- the cohort month; every cohort has a row for every month up to the month of as_of.
with

cohorts as (
    select * from {{ ref('retention_cohorts') }}
),

buyers as (
    select * from {{ ref('int_buyers') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

expected as (
    select
        cohort_month,
        count(*) as cohort_size,
    from buyers
    group by cohort_month
),

actual as (
    select
        cohort_month,
        min(cohort_size) as min_size,
        max(cohort_size) as max_size,
        count(*) as months,
        max(months_since_first) as max_k,
    from cohorts
    group by cohort_month
)

select
    expected.cohort_month,
    expected.cohort_size,
    actual.min_size,
    actual.max_size,
    actual.months,
from expected
cross join as_of
full join actual
    on expected.cohort_month = actual.cohort_month
where expected.cohort_size is distinct from actual.min_size
    or expected.cohort_size is distinct from actual.max_size
    or actual.months is distinct from datediff('month', expected.cohort_month, as_of.as_of_month) + 1
    or actual.max_k + 1 is distinct from actual.months
