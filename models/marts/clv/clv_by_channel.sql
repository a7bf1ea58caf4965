-- One row per acquisition channel of the buyers (null: no channel known) and one `all` row:
-- what a customer of the channel is worth by the rule of thumb (lifetime x margin per
-- purchase x purchases per year), what a new one actually returned in a year, what the CLV
-- model predicts for the next 365 days, and what the channel paid to acquire one. The window
-- is the last 12 complete months. Each buyer has one channel, so every measure is summed per
-- channel and the `all` row is the grouping set over every channel (`grouping(...) = 1`).
with

buyers as (
    select * from {{ ref('int_buyers') }}
),

cells as (
    select * from {{ ref('int_clv_channel_cells') }}
),

churn_months as (
    select * from {{ ref('int_churn_months') }}
),

churn_channel_months as (
    select * from {{ ref('int_churn_channel_months') }}
),

customer_value as (
    select * from {{ ref('customer_value') }}
),

spend as (
    select * from {{ ref('stg_shop__marketing_spend') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

window_bounds as (
    select
        cast(last_complete_month - interval 11 month as date) as window_start,
        last_complete_month,
    from as_of
),

groups as (
    select
        acquisition_channel,
        grouping(acquisition_channel) = 1 as is_all,
        count(*) as buyers,
    from buyers
    group by grouping sets ((acquisition_channel), ())
),

-- each buyer's channel, and the last month of their cohort's first year (months 0..11) when
-- that month is complete
buyer_cohorts as (
    select
        buyers.customer_id,
        buyers.acquisition_channel,
        case
            when buyers.cohort_month + interval 11 month <= window_bounds.last_complete_month
                then cast(buyers.cohort_month + interval 11 month as date)
        end as first_year_last_month,
    from buyers
    cross join window_bounds
),

-- the cells (int_clv_channel_cells, summed over buyers and kept by deltas, so no purchase is
-- read here) that any measure below reads: the window's purchases, of which the first of a
-- buyer's in the window is one whose previous purchase is before the window or none (more
-- months since it than from the window start to its own month; the cells cap that gap at
-- 12, the window's length), and the first 12 months of the cohorts whose month 11 is complete
window_cells as (
    select
        cells.acquisition_channel,
        cells.kind,
        cells.purchases,
        cells.margin_purchases,
        cells.margin,
        case
            when cells.months_since_previous > date_diff('month', window_bounds.window_start, cells.month)
                then cells.purchases
            else 0
        end as first_in_window_purchases,
    from cells
    cross join window_bounds
    where (
        cells.kind = 'order_month'
        and cells.month between window_bounds.window_start and window_bounds.last_complete_month
    ) or (
        cells.kind = 'cohort_month'
        and cells.month + interval 11 month <= window_bounds.last_complete_month
    )
),

-- the window's purchases and the cohorts' first-year margin, per channel and for all. Counts
-- back to BIGINT, as counted per purchase; the margin is null when no purchase of the window
-- has one (a sum of nothing)
channel_purchases as (
    select
        acquisition_channel,
        grouping(acquisition_channel) = 1 as is_all,
        cast(coalesce(sum(purchases) filter (where kind = 'order_month'), 0) as bigint) as purchases,
        cast(coalesce(sum(first_in_window_purchases) filter (where kind = 'order_month'), 0) as bigint)
            as buyers_with_purchase,
        case
            when sum(margin_purchases) filter (where kind = 'order_month') > 0
                then sum(margin) filter (where kind = 'order_month')
        end as margin,
        coalesce(sum(margin) filter (where kind = 'cohort_month'), 0) as first_year_margin,
    from window_cells
    group by grouping sets ((acquisition_channel), ())
),

group_churn_months as (
    -- Each group x each churn month of the window, with the group's churn that month.
    select
        groups.acquisition_channel,
        groups.is_all,
        churn_months.month,
        coalesce(sum(churn_channel_months.active_at_start), 0) as active_at_start,
        coalesce(sum(churn_channel_months.churned), 0) as churned,
    from groups
    cross join churn_months
    cross join window_bounds
    left join churn_channel_months
        on churn_months.month = churn_channel_months.month
        and (
            groups.is_all
            or groups.acquisition_channel is not distinct from churn_channel_months.acquisition_channel
        )
    where churn_months.month between window_bounds.window_start and window_bounds.last_complete_month
    group by groups.acquisition_channel, groups.is_all, churn_months.month
),

monthly_churn as (
    -- Null unless all 12 months of the window are churn months with an active buyer.
    select
        acquisition_channel,
        is_all,
        case
            when count(*) = 12 and min(active_at_start) > 0
                then 1 - pow(product(1 - churned / active_at_start), 1 / 12)
        end as monthly_churn_rate,
    from group_churn_months
    group by acquisition_channel, is_all
),

cohort_margins as (
    -- Cohorts whose month 11 is complete: their margin in months 0..11 / their size.
    select
        acquisition_channel,
        grouping(acquisition_channel) = 1 as is_all,
        count(*) as matured_buyers,
    from buyer_cohorts
    where first_year_last_month is not null
    group by grouping sets ((acquisition_channel), ())
),

predicted_value as (
    -- customer_value's predictions are null when the CLV fit is not published (clv_model's
    -- eligible): the mean is then null too.
    select
        buyers.acquisition_channel,
        grouping(buyers.acquisition_channel) = 1 as is_all,
        avg(customer_value.predicted_clv_365d) as predicted_clv_365d_avg,
    from buyers
    inner join customer_value
        on buyers.customer_id = customer_value.customer_id
    group by grouping sets ((buyers.acquisition_channel), ())
),

window_spend as (
    select
        spend.acquisition_channel,
        spend.spend_month,
        sum(spend.spend) as spend,
    from spend
    cross join window_bounds
    where spend.spend_month between window_bounds.window_start and window_bounds.last_complete_month
    group by spend.acquisition_channel, spend.spend_month
),

new_buyers_by_month as (
    select
        buyers.acquisition_channel,
        buyers.cohort_month,
        count(*) as new_buyers,
    from buyers
    cross join window_bounds
    where buyers.cohort_month between window_bounds.window_start and window_bounds.last_complete_month
    group by buyers.acquisition_channel, buyers.cohort_month
),

acquisition_cost as (
    -- A channel: spend of the window's months with a spend row for it / its new buyers in
    -- those months. `all`: all spend in the window / all new buyers in the window.
    select
        groups.acquisition_channel,
        groups.is_all,
        case
            when groups.is_all then (select sum(spend) from window_spend)
            else (
                select sum(window_spend.spend)
                from window_spend
                where window_spend.acquisition_channel = groups.acquisition_channel
            )
        end as spend,
        case
            when groups.is_all then (select sum(new_buyers) from new_buyers_by_month)
            else (
                select sum(new_buyers_by_month.new_buyers)
                from new_buyers_by_month
                inner join window_spend
                    on new_buyers_by_month.acquisition_channel = window_spend.acquisition_channel
                    and new_buyers_by_month.cohort_month = window_spend.spend_month
                where new_buyers_by_month.acquisition_channel = groups.acquisition_channel
            )
        end as new_buyers,
    from groups
),

measures as (
    select
        groups.acquisition_channel,
        groups.is_all,
        groups.buyers,
        channel_purchases.margin / nullif(channel_purchases.purchases, 0) as avg_margin_per_purchase,
        channel_purchases.purchases / nullif(channel_purchases.buyers_with_purchase, 0) as annual_purchase_frequency,
        monthly_churn.monthly_churn_rate,
        channel_purchases.first_year_margin / cohort_margins.matured_buyers as realized_margin_12m_per_buyer,
        predicted_value.predicted_clv_365d_avg,
        acquisition_cost.spend / nullif(acquisition_cost.new_buyers, 0) as cac,
    from groups
    left join channel_purchases
        on groups.acquisition_channel is not distinct from channel_purchases.acquisition_channel
        and groups.is_all = channel_purchases.is_all
    left join monthly_churn
        on groups.acquisition_channel is not distinct from monthly_churn.acquisition_channel
        and groups.is_all = monthly_churn.is_all
    left join cohort_margins
        on groups.acquisition_channel is not distinct from cohort_margins.acquisition_channel
        and groups.is_all = cohort_margins.is_all
    left join predicted_value
        on groups.acquisition_channel is not distinct from predicted_value.acquisition_channel
        and groups.is_all = predicted_value.is_all
    left join acquisition_cost
        on groups.acquisition_channel is not distinct from acquisition_cost.acquisition_channel
        and groups.is_all = acquisition_cost.is_all
),

with_lifetime as (
    select
        *,
        case when monthly_churn_rate > 0 then 1 / (12 * monthly_churn_rate) end
            as expected_lifetime_years,
        avg_margin_per_purchase * annual_purchase_frequency as annual_margin,
    from measures
),

final as (
    select
        case when is_all then 'all' else acquisition_channel end as acquisition_channel,
        buyers,
        avg_margin_per_purchase,
        annual_purchase_frequency,
        monthly_churn_rate,
        expected_lifetime_years,
        expected_lifetime_years * annual_margin as ltv,
        realized_margin_12m_per_buyer,
        predicted_clv_365d_avg,
        cac,
        case when cac > 0 then expected_lifetime_years * annual_margin / cac end as ltv_to_cac,
        case when annual_margin > 0 then cac / (annual_margin / 12) end as payback_months,
        is_all,
    from with_lifetime
)

select * from final
