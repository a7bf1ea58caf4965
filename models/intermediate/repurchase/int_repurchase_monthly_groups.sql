-- One row per (dimension, value, month): the monthly repurchase measures of every group that
-- repurchase_monthly (dimension `all`) and repurchase_monthly_by_dimension publish. In a
-- `channel` group only that channel's purchases count and a buyer appears in every channel
-- they bought in; `tier` and `acquisition_channel` groups take all of their buyers'
-- purchases. New vs returning always follows the buyer's first purchase overall. A null
-- value is its own group. Months run from the group's first month with a purchase to the
-- month of as_of.
--
-- The measures are sums over buyers kept by deltas in int_repurchase_cells: this model only
-- sums its cells into groups, fills the months without purchases and derives the rates.
with

cells as (
    select * from {{ ref('int_repurchase_cells') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
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
    from cells
    where kind = 'buyer'
    group by grouping sets ((order_month), (tier, order_month), (acquisition_channel, order_month))
),

channel_groups as (
    select
        'channel' as dimension,
        channel as value,
        order_month,
        buyers,
        new_buyers,
        returning_buyers,
        repeat_in_month_buyers,
        purchases,
        revenue,
        revenue_new,
        revenue_returning,
        buyback_buyers,
    from cells
    where kind = 'channel'
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
