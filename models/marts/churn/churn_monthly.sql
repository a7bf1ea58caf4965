-- One row per complete month from the first month in which a buyer can have lapsed: who was
-- active at its start, who lapsed in it, who arrived and who came back.
with

months as (
    select * from {{ ref('int_churn_months') }}
),

channel_months as (
    select * from {{ ref('int_churn_channel_months') }}
),

flows as (
    select
        month,
        sum(active_at_start) as active_at_start,
        sum(churned) as churned,
        sum(new_buyers) as new_buyers,
        sum(reactivated) as reactivated,
        sum(active_at_end) as active_at_end,
        sum(churned_revenue_365d) as churned_revenue_365d,
        sum(active_revenue_365d) as active_revenue_365d,
    from channel_months
    group by month
),

final as (
    select
        months.month,
        cast(coalesce(flows.active_at_start, 0) as bigint) as active_at_start,
        cast(coalesce(flows.churned, 0) as bigint) as churned,
        flows.churned / nullif(flows.active_at_start, 0) as churn_rate,
        cast(coalesce(flows.new_buyers, 0) as bigint) as new_buyers,
        cast(coalesce(flows.reactivated, 0) as bigint) as reactivated,
        case
            when flows.active_revenue_365d > 0
                then coalesce(flows.churned_revenue_365d, 0) / flows.active_revenue_365d
        end as revenue_weighted_churn_rate,
        cast(coalesce(flows.active_at_end, 0) as bigint) as active_at_end,
        coalesce(flows.churned_revenue_365d, 0) as churned_revenue_365d,
        coalesce(flows.active_revenue_365d, 0) as active_revenue_365d,
        months.churn_days,
    from months
    left join flows
        on months.month = flows.month
)

select * from final
