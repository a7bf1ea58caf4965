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
-- arithmetic is integer arithmetic.
with

months as (
    select * from {{ ref('int_churn_months') }}
),

-- not materialized: each reader scans the table for its own columns (a materialized copy of
-- millions of rows costs more than the scans)
purchases as not materialized (
    select * from {{ ref('int_purchases') }}
),

buyers as not materialized (
    select * from {{ ref('int_buyers') }}
),

churn_days as (
    select any_value(churn_days) as churn_days from months
),

-- every day with a purchase: its month, E, and the last month whose window holds its revenue
calendar as (
    select
        days.day,
        year(days.day) * 12 + month(days.day) - 1 as month_index,
        year(days.day + churn_days.churn_days) * 12 + month(days.day + churn_days.churn_days) - 1
            as lapse_month_index,
        year(days.day) * 12 + month(days.day) - 1 + case
            when day(days.day) = 1 and date_diff('day', days.day, days.day + interval 12 month) = 366 then 11
            else 12
        end as window_end_month_index,
    from (
        -- the purchase days themselves (not a generated series: the planner then knows how
        -- many rows the joins below return, and hashes the small side)
        select distinct order_date as day from purchases
    ) as days
    cross join churn_days
),

buyer_lapses as (
    select
        buyers.customer_id,
        buyers.acquisition_channel,
        buyers.purchases,
        calendar.lapse_month_index as final_lapse_month_index,
    from buyers
    inner join calendar
        on buyers.last_purchase_date = calendar.day
),

-- each purchase with the months of its day and of the previous purchase's (int_purchases'
-- days_since_prev; null for the first). Not materialized: each reader below recomputes these
-- lookups in a tiny calendar, cheaper than writing millions of rows.
purchase_days as not materialized (
    select
        purchases.customer_id,
        purchases.order_seq,
        purchases.net_revenue,
        purchase_day.month_index,
        purchase_day.window_end_month_index,
        case when purchases.days_since_prev is not null then previous_day.month_index end as previous_month_index,
        case when purchases.days_since_prev is not null then previous_day.lapse_month_index end
            as previous_lapse_month_index,
    from purchases
    inner join calendar as purchase_day
        on purchases.order_date = purchase_day.day
    -- an inner join (the first purchase looks up its own day), so the calendar is what is hashed
    inner join calendar as previous_day
        on purchases.order_date - cast(coalesce(purchases.days_since_prev, 0) as integer) = previous_day.day
),

-- the purchases counted by everything an event depends on: a few thousand rows. The final
-- lapse matters to the last purchase and to those whose window reaches it.
purchase_groups as (
    select
        buyer_lapses.acquisition_channel,
        purchase_days.month_index,
        purchase_days.window_end_month_index,
        purchase_days.previous_month_index,
        purchase_days.previous_lapse_month_index,
        purchase_days.order_seq = buyer_lapses.purchases as is_last,
        case
            when purchase_days.order_seq = buyer_lapses.purchases
                or purchase_days.window_end_month_index >= buyer_lapses.final_lapse_month_index
                then buyer_lapses.final_lapse_month_index
        end as final_lapse_month_index,
        count(*) as purchases,
        sum(purchase_days.net_revenue) as revenue,
    from purchase_days
    inner join buyer_lapses
        on purchase_days.customer_id = buyer_lapses.customer_id
    group by all
),

-- the lapses after which the buyer came back (the final lapse of each buyer is its last
-- purchase), each with the buyer's purchases whose window reaches E. Materialized: a small
-- table, so the join below hashes it and streams the purchases past it.
returns as materialized (
    select
        purchase_days.customer_id,
        buyer_lapses.acquisition_channel,
        purchase_days.previous_month_index as month_index,
        purchase_days.previous_lapse_month_index as lapse_month_index,
        purchase_days.month_index as next_month_index,
    from purchase_days
    inner join buyer_lapses
        on purchase_days.customer_id = buyer_lapses.customer_id
    where purchase_days.month_index > purchase_days.previous_lapse_month_index
),

return_windows as (
    select
        returns.acquisition_channel,
        returns.lapse_month_index,
        returns.next_month_index,
        purchase_days.window_end_month_index,
        sum(purchase_days.net_revenue) as revenue,
    from returns
    inner join purchase_days
        on purchase_days.customer_id = returns.customer_id
        and purchase_days.month_index <= returns.month_index
        and purchase_days.window_end_month_index >= returns.lapse_month_index
    group by all
),

-- every lapse paired with the revenue of the purchases whose window reaches its E; the
-- final lapse has no next purchase
lapse_windows as (
    select
        acquisition_channel,
        lapse_month_index,
        next_month_index,
        window_end_month_index,
        revenue,
    from return_windows
    union all
    select
        acquisition_channel,
        final_lapse_month_index,
        null,
        window_end_month_index,
        sum(revenue),
    from purchase_groups
    where window_end_month_index >= final_lapse_month_index
    group by all
),

-- the flows as events in their month: `active` and `active_revenue` are changes, summed up
-- to each month below; the other measures count in their own month only
events as (
    -- new in the month of the first purchase
    select
        acquisition_channel,
        month_index,
        0 as active,
        0 as active_revenue,
        0 as churned,
        0 as churned_revenue,
        purchases as new_buyers,
        0 as reactivated,
    from purchase_groups
    where previous_month_index is null
    union all
    -- a purchase's revenue is in the windows of the months after its own up to the window end
    select acquisition_channel, month_index + 1, 0, revenue, 0, 0, 0, 0,
    from purchase_groups
    union all
    select acquisition_channel, window_end_month_index + 1, 0, -revenue, 0, 0, 0, 0,
    from purchase_groups
    union all
    -- active from the month after a purchase's, up to min(E, the next purchase's month)
    select acquisition_channel, month_index + 1, purchases, 0, 0, 0, 0, 0,
    from purchase_groups
    union all
    select acquisition_channel, least(previous_lapse_month_index, month_index) + 1, -purchases, 0, 0, 0, 0, 0,
    from purchase_groups
    where previous_month_index is not null
    union all
    -- the previous purchase lapsed: churned in its E, reactivated now
    select acquisition_channel, previous_lapse_month_index, 0, 0, purchases, 0, 0, 0,
    from purchase_groups
    where month_index > previous_lapse_month_index
    union all
    select acquisition_channel, month_index, 0, 0, 0, 0, 0, purchases,
    from purchase_groups
    where month_index > previous_lapse_month_index
    union all
    -- the last purchase lapses for good
    select acquisition_channel, final_lapse_month_index + 1, -purchases, 0, 0, 0, 0, 0,
    from purchase_groups
    where is_last
    union all
    select acquisition_channel, final_lapse_month_index, 0, 0, purchases, 0, 0, 0,
    from purchase_groups
    where is_last
    union all
    -- the churned buyers' revenue in E; over the gap, the revenue leaves the active revenue
    select acquisition_channel, lapse_month_index, 0, 0, 0, revenue, 0, 0,
    from lapse_windows
    union all
    select acquisition_channel, lapse_month_index + 1, 0, -revenue, 0, 0, 0, 0,
    from lapse_windows
    where lapse_month_index + 1 <= least(next_month_index, window_end_month_index)
    union all
    select acquisition_channel, least(next_month_index, window_end_month_index) + 1, 0, revenue, 0, 0, 0, 0,
    from lapse_windows
    where lapse_month_index + 1 <= least(next_month_index, window_end_month_index)
),

flows as (
    select
        acquisition_channel,
        month_index,
        sum(active) as active,
        sum(active_revenue) as active_revenue,
        sum(churned) as churned,
        sum(churned_revenue) as churned_revenue,
        sum(new_buyers) as new_buyers,
        sum(reactivated) as reactivated,
    from events
    group by all
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
