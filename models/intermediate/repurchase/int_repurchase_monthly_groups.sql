-- One row per (dimension, value, month): the monthly repurchase measures of every group that
-- repurchase_monthly (dimension `all`) and repurchase_monthly_by_dimension publish. In a
-- `channel` group only that channel's purchases count and a buyer appears in every channel
-- they bought in; `tier` and `acquisition_channel` groups take all of their buyers'
-- purchases. New vs returning always follows the buyer's first purchase overall. A null
-- value is its own group. Months run from the group's first month with a purchase to the
-- month of as_of.
with

purchases as (
    select * from {{ ref('int_purchases') }}
),

buyers as (
    select * from {{ ref('int_buyers') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

purchases_with_buyer as (
    select
        purchases.purchase_id,
        purchases.customer_id,
        purchases.order_month,
        purchases.net_revenue,
        purchases.channel,
        buyers.tier,
        buyers.acquisition_channel,
        buyers.cohort_month = purchases.order_month as is_new_buyer_month,
    from purchases
    inner join buyers
        on purchases.customer_id = buyers.customer_id
),

grouped_purchases as (
    select 'all' as dimension, cast(null as varchar) as value, * from purchases_with_buyer
    union all
    select 'channel' as dimension, channel as value, * from purchases_with_buyer
    union all
    select 'tier' as dimension, tier as value, * from purchases_with_buyer
    union all
    select 'acquisition_channel' as dimension, acquisition_channel as value, * from purchases_with_buyer
),

buyer_months as (
    select
        dimension,
        value,
        customer_id,
        order_month,
        bool_and(is_new_buyer_month) as is_new_buyer,
        count(*) as purchases,
        sum(net_revenue) as revenue,
    from grouped_purchases
    group by dimension, value, customer_id, order_month
),

buyback as (
    -- Buyers of the previous month (in the group) who bought again (in the group) this month.
    select
        this_month.dimension,
        this_month.value,
        this_month.order_month,
        count(*) as buyback_buyers,
    from buyer_months as this_month
    inner join buyer_months as previous_month
        on this_month.dimension = previous_month.dimension
        and this_month.value is not distinct from previous_month.value
        and this_month.customer_id = previous_month.customer_id
        and this_month.order_month = previous_month.order_month + interval 1 month
    group by this_month.dimension, this_month.value, this_month.order_month
),

monthly as (
    select
        dimension,
        value,
        order_month,
        count(*) as buyers,
        count(*) filter (where is_new_buyer) as new_buyers,
        count(*) filter (where not is_new_buyer) as returning_buyers,
        count(*) filter (where purchases >= 2) as repeat_in_month_buyers,
        sum(purchases) as purchases,
        sum(revenue) as revenue,
        coalesce(sum(revenue) filter (where is_new_buyer), 0) as revenue_new,
        coalesce(sum(revenue) filter (where not is_new_buyer), 0) as revenue_returning,
    from buyer_months
    group by dimension, value, order_month
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
        coalesce(buyback.buyback_buyers, 0) as buyback_buyers,
    from month_spine
    left join monthly
        on month_spine.dimension = monthly.dimension
        and month_spine.value is not distinct from monthly.value
        and month_spine.month = monthly.order_month
    left join buyback
        on month_spine.dimension = buyback.dimension
        and month_spine.value is not distinct from buyback.value
        and month_spine.month = buyback.order_month
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
