-- The churn flow identity across rows: active_at_start(m + 1) = active_at_start(m) -
-- churned(m) + new_buyers(m) + reactivated(m), for every month that has a successor.
with

churn as (
    select * from {{ ref('churn_monthly') }}
),

paired as (
    select
        month,
        active_at_start - churned + new_buyers + reactivated as flows_to_next,
        lead(active_at_start) over (order by month) as next_active_at_start,
    from churn
)

select *
from paired
where next_active_at_start is not null
    and next_active_at_start <> flows_to_next
