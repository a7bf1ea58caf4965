{#
  The contribution of some buyers to the churn flows of int_churn_channel_months
  (int_churn_cells): `relations` = [their rows of int_purchases, their rows of int_buyers].
  Rows by (acquisition_channel, month_index): the events of those buyers' flows in the month,
  each a sum over buyers of events made of the buyer's own purchases, purchase count and last
  purchase day alone, so a refresh adds the rebuilt buyers' new events and takes away their old
  ones (delta_cells_select). `active` and `active_revenue` are changes, which
  int_churn_channel_months sums up to each month; the others count in their own month. Keys
  whose events cancel out are dropped (delta_cells_select drops them too).
  See int_churn_channel_months for what an event is.
#}
{% macro churn_cells(relations) %}
    with

    purchases as not materialized (
        select * from {{ relations[0] }}
    ),

    buyers as not materialized (
        select * from {{ relations[1] }}
    ),

    churn_days as (
        select cast({{ var('churn_days') }} as integer) as churn_days
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
    )

    select
        acquisition_channel,
        month_index,
        cast(sum(active) as bigint) as active,
        sum(active_revenue) as active_revenue,
        cast(sum(churned) as bigint) as churned,
        sum(churned_revenue) as churned_revenue,
        cast(sum(new_buyers) as bigint) as new_buyers,
        cast(sum(reactivated) as bigint) as reactivated,
    from events
    group by all
    having sum(active) <> 0 or sum(active_revenue) <> 0 or sum(churned) <> 0 or sum(churned_revenue) <> 0
        or sum(new_buyers) <> 0 or sum(reactivated) <> 0
{% endmacro %}
