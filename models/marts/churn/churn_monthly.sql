-- One row per complete month from the first month in which a buyer can have lapsed: who was
-- active at its start, who lapsed in it, who arrived and who came back.
with

months as (
    select * from {{ ref('int_churn_months') }}
),

buyer_months as (
    select * from {{ ref('int_churn_buyer_months') }}
),

flows as (
    select
        month,
        count(*) filter (where is_active_at_start) as active_at_start,
        count(*) filter (where is_churned) as churned,
        count(*) filter (where is_new) as new_buyers,
        count(*) filter (where is_reactivated) as reactivated,
        count(*) filter (where is_active_at_end) as active_at_end,
        sum(revenue_365d_before) filter (where is_churned) as churned_revenue_365d,
        sum(revenue_365d_before) filter (where is_active_at_start) as active_revenue_365d,
    from buyer_months
    group by month
),

final as (
    select
        months.month,
        coalesce(flows.active_at_start, 0) as active_at_start,
        coalesce(flows.churned, 0) as churned,
        flows.churned / nullif(flows.active_at_start, 0) as churn_rate,
        coalesce(flows.new_buyers, 0) as new_buyers,
        coalesce(flows.reactivated, 0) as reactivated,
        case
            when flows.active_revenue_365d > 0
                then coalesce(flows.churned_revenue_365d, 0) / flows.active_revenue_365d
        end as revenue_weighted_churn_rate,
        coalesce(flows.active_at_end, 0) as active_at_end,
        coalesce(flows.churned_revenue_365d, 0) as churned_revenue_365d,
        coalesce(flows.active_revenue_365d, 0) as active_revenue_365d,
        months.churn_days,
    from months
    left join flows
        on months.month = flows.month
)

select * from final
