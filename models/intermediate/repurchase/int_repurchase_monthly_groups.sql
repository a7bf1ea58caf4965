-- One row per (dimension, value, month): the monthly repurchase measures of every group that
-- repurchase_monthly (dimension `all`) and repurchase_monthly_by_dimension publish. In a
-- `channel` group only that channel's purchases count and a buyer appears in every channel
-- they bought in; `tier` and `acquisition_channel` groups take all of their buyers'
-- purchases. New vs returning always follows the buyer's first purchase overall. A null
-- value is its own group. Months run from the group's first month with a purchase to the
-- month of as_of.
--
-- Each purchase knows from int_purchases' days_since_prev whether it is the first of its
-- buyer's month (the previous purchase is before the month, or there is none) and whether
-- that previous purchase is in the month before (a buyback): counting such purchases counts
-- buyers without grouping the purchases by buyer. Only the `channel` groups need each
-- buyer's channels per month.
with

-- only the columns read (int_buyers' money sums are wide decimals, slow to scan)
purchases as not materialized (
    select
        customer_id,
        channel,
        order_date,
        order_month,
        net_revenue,
        days_since_prev,
        -- where the buyer's previous purchase (none: the first) stands against this month
        coalesce(order_date - cast(days_since_prev as integer) < order_month, true) as is_first_in_month,
        coalesce(last_day(order_date - cast(days_since_prev as integer)) + 1 = order_month, false) as is_buyback,
    from {{ ref('int_purchases') }}
),

buyers as not materialized (
    select
        customer_id,
        cohort_month,
        tier,
        acquisition_channel,
    from {{ ref('int_buyers') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

-- the measures per (tier, acquisition channel, month): a few thousand cells, which the
-- `all`, `tier` and `acquisition_channel` groups sum (each buyer has one tier and one
-- acquisition channel, so the groups of one dimension never overlap)
buyer_cells as (
    select
        buyers.tier,
        buyers.acquisition_channel,
        purchases.order_month,
        count(*) filter (where purchases.is_first_in_month) as buyers,
        count(*) filter (where purchases.is_first_in_month and purchases.order_month = buyers.cohort_month)
            as new_buyers,
        count(*) filter (where purchases.is_first_in_month and purchases.order_month <> buyers.cohort_month)
            as returning_buyers,
        0 as repeat_in_month_buyers,
        count(*) as purchases,
        sum(purchases.net_revenue) as revenue,
        coalesce(sum(purchases.net_revenue) filter (where purchases.order_month = buyers.cohort_month), 0)
            as revenue_new,
        coalesce(sum(purchases.net_revenue) filter (where purchases.order_month <> buyers.cohort_month), 0)
            as revenue_returning,
        count(*) filter (where purchases.is_buyback) as buyback_buyers,
    from purchases
    inner join buyers
        on purchases.customer_id = buyers.customer_id
    group by buyers.tier, buyers.acquisition_channel, purchases.order_month
    union all
    -- a buyer with 2+ purchases in a month has one that is not the month's first
    select
        buyers.tier,
        buyers.acquisition_channel,
        repeat_months.order_month,
        0,
        0,
        0,
        count(*),
        0,
        0,
        0,
        0,
        0,
    from (
        select distinct
            customer_id,
            order_month,
        from purchases
        where not is_first_in_month
    ) as repeat_months
    inner join buyers
        on repeat_months.customer_id = buyers.customer_id
    group by buyers.tier, buyers.acquisition_channel, repeat_months.order_month
),

-- counts back to BIGINT, as counted per group
buyer_dimension_groups as (
    select
        case
            when grouping(tier) = 0 then 'tier'
            when grouping(acquisition_channel) = 0 then 'acquisition_channel'
            else 'all'
        end as dimension,
        coalesce(tier, acquisition_channel) as value,
        order_month,
        cast(sum(buyers) as bigint) as buyers,
        cast(sum(new_buyers) as bigint) as new_buyers,
        cast(sum(returning_buyers) as bigint) as returning_buyers,
        cast(sum(repeat_in_month_buyers) as bigint) as repeat_in_month_buyers,
        sum(purchases) as purchases,
        sum(revenue) as revenue,
        sum(revenue_new) as revenue_new,
        sum(revenue_returning) as revenue_returning,
        cast(sum(buyback_buyers) as bigint) as buyback_buyers,
    from buyer_cells
    group by grouping sets ((order_month), (tier, order_month), (acquisition_channel, order_month))
),

-- one row per (buyer, channel, month with a purchase in that channel): only that channel's
-- purchases count in a `channel` group. month_index (year x 12 + month - 1) finds the
-- previous month.
channel_month_purchases as materialized (
    select
        customer_id,
        channel,
        order_month,
        year(order_month) * 12 + month(order_month) - 1 as month_index,
        count(*) as purchases,
        sum(net_revenue) as revenue,
        bool_or(days_since_prev is null) as has_first_purchase,
        bool_or(is_first_in_month) as has_first_in_month,
        bool_or(is_buyback) as has_buyback,
    from purchases
    group by customer_id, channel, order_month
),

-- new vs returning follows the buyer's first purchase overall: a channel month holding the
-- buyer's first purchase of the month is new when that is the first purchase ever; the
-- others (another channel came first that month) ask int_buyers
channel_months as (
    select
        *,
        has_first_purchase as is_new_buyer,
    from channel_month_purchases
    where has_first_in_month
    union all
    select
        channel_month_purchases.*,
        buyers.cohort_month = channel_month_purchases.order_month as is_new_buyer,
    from channel_month_purchases
    inner join buyers
        on buyers.customer_id = channel_month_purchases.customer_id
    where not channel_month_purchases.has_first_in_month
),

-- a channel's buyback: the buyer bought in that channel in the previous month too. Only a
-- month after a month with a purchase can be one: the channel month holding the buyer's
-- first purchase of the month says so (has_buyback), the others (another channel came first)
-- are looked up too; the join hashes these few and streams all channel months past them.
channel_buybacks as (
    select
        channel_months.channel,
        channel_months.order_month,
        count(*) as buyback_buyers,
    from channel_month_purchases as previous_channel_months
    inner join channel_month_purchases as channel_months
        on channel_months.customer_id = previous_channel_months.customer_id
        and channel_months.channel is not distinct from previous_channel_months.channel
        and channel_months.month_index = previous_channel_months.month_index + 1
    where channel_months.has_buyback or not channel_months.has_first_in_month
    group by channel_months.channel, channel_months.order_month
),

channel_groups as (
    select
        'channel' as dimension,
        channel_months.channel as value,
        channel_months.order_month,
        count(*) as buyers,
        count(*) filter (where channel_months.is_new_buyer) as new_buyers,
        count(*) filter (where not channel_months.is_new_buyer) as returning_buyers,
        count(*) filter (where channel_months.purchases >= 2) as repeat_in_month_buyers,
        sum(channel_months.purchases) as purchases,
        sum(channel_months.revenue) as revenue,
        coalesce(sum(channel_months.revenue) filter (where channel_months.is_new_buyer), 0) as revenue_new,
        coalesce(sum(channel_months.revenue) filter (where not channel_months.is_new_buyer), 0)
            as revenue_returning,
        coalesce(any_value(channel_buybacks.buyback_buyers), 0) as buyback_buyers,
    from channel_months
    left join channel_buybacks
        on channel_buybacks.channel is not distinct from channel_months.channel
        and channel_buybacks.order_month = channel_months.order_month
    group by channel_months.channel, channel_months.order_month
),

monthly as (
    select * from buyer_dimension_groups
    union all
    select * from channel_groups
),

month_spine as (
    select
        groups.dimension,
        groups.value,
        cast(spine.generate_series as date) as month,
    from (
        select
            dimension,
            value,
            min(order_month) as first_month,
        from monthly
        group by dimension, value
    ) as groups
    cross join as_of
    cross join generate_series(
        cast(groups.first_month as timestamp),
        cast(as_of.as_of_month as timestamp),
        interval 1 month
    ) as spine
),

filled as (
    select
        month_spine.dimension,
        month_spine.value,
        month_spine.month,
        coalesce(monthly.buyers, 0) as buyers,
        coalesce(monthly.new_buyers, 0) as new_buyers,
        coalesce(monthly.returning_buyers, 0) as returning_buyers,
        coalesce(monthly.repeat_in_month_buyers, 0) as repeat_in_month_buyers,
        coalesce(monthly.purchases, 0) as purchases,
        coalesce(monthly.revenue, 0) as revenue,
        coalesce(monthly.revenue_new, 0) as revenue_new,
        coalesce(monthly.revenue_returning, 0) as revenue_returning,
        coalesce(monthly.buyback_buyers, 0) as buyback_buyers,
    from month_spine
    left join monthly
        on month_spine.dimension = monthly.dimension
        and month_spine.value is not distinct from monthly.value
        and month_spine.month = monthly.order_month
),

with_previous as (
    select
        *,
        coalesce(
            lag(buyers) over (partition by dimension, value order by month),
            0
        ) as previous_month_buyers,
    from filled
),

final as (
    select
        with_previous.dimension,
        with_previous.value,
        with_previous.month,
        with_previous.buyers,
        with_previous.new_buyers,
        with_previous.returning_buyers,
        with_previous.repeat_in_month_buyers,
        with_previous.purchases,
        with_previous.revenue,
        with_previous.revenue_new,
        with_previous.revenue_returning,
        case when with_previous.purchases > 0 then with_previous.revenue / with_previous.purchases end as aov,
        case when with_previous.buyers > 0 then with_previous.revenue / with_previous.buyers end as revenue_per_buyer,
        case
            when with_previous.buyers > 0
                then with_previous.repeat_in_month_buyers / with_previous.buyers
        end as repurchase_rate,
        case
            when with_previous.buyers > 0 then with_previous.returning_buyers / with_previous.buyers
        end as returning_customer_rate,
        case
            when with_previous.previous_month_buyers > 0
                then with_previous.buyback_buyers / with_previous.previous_month_buyers
        end as buyback_rate,
        with_previous.month = as_of.as_of_month and not as_of.is_as_of_month_complete as is_partial,
        with_previous.previous_month_buyers,
        with_previous.buyback_buyers,
    from with_previous
    cross join as_of
)

select * from final
