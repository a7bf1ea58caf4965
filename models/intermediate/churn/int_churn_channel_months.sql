-- One row per (month of int_churn_months, acquisition_channel of the buyers): the churn flows
-- of churn_monthly for that channel's buyers. Never joins buyers to months: each flow is a sum
-- of events, a few per purchase, counted from the month they happen (see events below).
--
-- With C = churn_days, E(p) = the month of (purchase p's day + C) and n = the buyer's next
-- purchase (none: never), the buyer is active on the first days of the months after p's up
-- to min(E(p), n's month) (C >= 31, so E(p) is after p's month), and lapses when n's month is
-- after E(p): churned in E(p), inactive over the gap E(p) + 1 .. n's month, reactivated in
-- n's month.
-- The net revenue over first_day - 365 .. first_day - 1 of a month holds p's revenue in the
-- twelve months after p's (eleven, for a purchase on a first day when the twelve months from
-- it hold 366 days). The active buyers' revenue is then that of all buyers, minus that of
-- the buyers in a gap: a lapse paired with the buyer's purchases at most twelve months before
-- its E(p). The churned buyers' revenue is the same pairs, in the month E(p).
-- Months are integers (year x 12 + month - 1), looked up by day in a calendar: month
-- arithmetic is integer arithmetic. The events are sums over buyers, kept by deltas in
-- int_churn_cells (macros/churn_cells.sql): this model sums them up to each month.
with

months as (
    select * from {{ ref('int_churn_months') }}
),

-- the flows' events by (acquisition_channel, month_index), kept by deltas
flows as (
    select * from {{ ref('int_churn_cells') }}
),

buyers as not materialized (
    select * from {{ ref('int_buyers') }}
),

channels as (
    select distinct acquisition_channel from buyers
),

reported_months as (
    select
        month,
        year(month) * 12 + month(month) - 1 as month_index,
    from months
),

-- the changes summed up to each month, and to the next (active_at_end)
month_totals as (
    select
        reported_months.month,
        channels.acquisition_channel,
        coalesce(sum(flows.active) filter (where flows.month_index <= reported_months.month_index), 0)
            as active_at_start,
        coalesce(sum(flows.active), 0) as active_at_end,
        coalesce(sum(flows.active_revenue) filter (where flows.month_index <= reported_months.month_index), 0)
            as active_revenue_365d,
        coalesce(sum(flows.churned) filter (where flows.month_index = reported_months.month_index), 0) as churned,
        coalesce(sum(flows.churned_revenue) filter (where flows.month_index = reported_months.month_index), 0)
            as churned_revenue_365d,
        coalesce(sum(flows.new_buyers) filter (where flows.month_index = reported_months.month_index), 0)
            as new_buyers,
        coalesce(sum(flows.reactivated) filter (where flows.month_index = reported_months.month_index), 0)
            as reactivated,
    from reported_months
    cross join channels
    left join flows
        on flows.acquisition_channel is not distinct from channels.acquisition_channel
        and flows.month_index <= reported_months.month_index + 1
    group by reported_months.month, channels.acquisition_channel
),

final as (
    select
        month,
        acquisition_channel,
        cast(active_at_start as bigint) as active_at_start,
        cast(churned as bigint) as churned,
        cast(new_buyers as bigint) as new_buyers,
        cast(reactivated as bigint) as reactivated,
        cast(active_at_end as bigint) as active_at_end,
        cast(active_revenue_365d as decimal(38, 2)) as active_revenue_365d,
        cast(churned_revenue_365d as decimal(38, 2)) as churned_revenue_365d,
    from month_totals
)

select * from final
