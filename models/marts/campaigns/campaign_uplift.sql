-- One row per (campaign_id, window_days): treatment against holdout. Incomplete windows keep
-- contacts only; a campaign without holdout keeps its rates and costs, every comparison null.

with

campaign_windows as (

    select * from {{ ref('int_campaign_windows') }}

),

outcomes as (

    select * from {{ ref('int_campaign_group_outcomes') }}

),

-- per group: n contacts, x responders, and the mean and sample variance of revenue per
-- contact for Welch's standard error (every contact counted, zeros included)
arms as (

    select
        campaign_id,
        window_days,
        cast(coalesce(sum(contacts) filter (where contact_group = 'treatment'), 0) as bigint) as treatment_contacts,
        cast(coalesce(sum(contacts) filter (where contact_group = 'holdout'), 0) as bigint) as holdout_contacts,
        cast(coalesce(sum(responders) filter (where contact_group = 'treatment'), 0) as bigint) as treatment_responders,
        cast(coalesce(sum(responders) filter (where contact_group = 'holdout'), 0) as bigint) as holdout_responders,
        sum(revenue / nullif(contacts, 0)) filter (where contact_group = 'treatment') as treatment_revenue_mean,
        sum(revenue / nullif(contacts, 0)) filter (where contact_group = 'holdout') as holdout_revenue_mean,
        sum(revenue_variance) filter (where contact_group = 'treatment') as treatment_revenue_variance,
        sum(revenue_variance) filter (where contact_group = 'holdout') as holdout_revenue_variance,
        sum(gross_margin / nullif(contacts, 0)) filter (where contact_group = 'treatment') as treatment_margin_mean,
        sum(gross_margin / nullif(contacts, 0)) filter (where contact_group = 'holdout') as holdout_margin_mean,
        sum(redemptions) filter (where contact_group = 'treatment') as redemptions,
        sum(discount_given) filter (where contact_group = 'treatment') as discount_given,
    from outcomes
    group by campaign_id, window_days

),

compared as (

    select
        campaign_windows.campaign_id,
        campaign_windows.window_days,
        campaign_windows.is_complete,
        coalesce(arms.treatment_contacts, 0) as treatment_contacts,
        coalesce(arms.holdout_contacts, 0) as holdout_contacts,
        coalesce(arms.treatment_responders, 0) as treatment_responders,
        coalesce(arms.holdout_responders, 0) as holdout_responders,
        arms.treatment_revenue_mean - arms.holdout_revenue_mean as revenue_per_contact_difference,
        sqrt(
            arms.treatment_revenue_variance / arms.treatment_contacts
            + arms.holdout_revenue_variance / arms.holdout_contacts
        ) as revenue_difference_standard_error,
        arms.treatment_margin_mean - arms.holdout_margin_mean as margin_per_contact_difference,
        coalesce(arms.redemptions, 0) as redemptions,
        coalesce(arms.discount_given, 0) as discount_given,
        coalesce(arms.treatment_contacts, 0) * campaign_windows.cost_per_contact
            + coalesce(arms.redemptions, 0) * campaign_windows.coupon_cost as cost,
    from campaign_windows
    left join arms
        on arms.campaign_id = campaign_windows.campaign_id
        and arms.window_days = campaign_windows.window_days

),

measured as (

    select
        campaign_id,
        window_days,
        is_complete,
        treatment_contacts,
        holdout_contacts,
        treatment_responders / nullif(treatment_contacts, 0) as treatment_rate,
        holdout_responders / nullif(holdout_contacts, 0) as holdout_rate,
        {{ newcombe_low('treatment_responders', 'treatment_contacts', 'holdout_responders', 'holdout_contacts') }} as ci_low,
        {{ newcombe_high('treatment_responders', 'treatment_contacts', 'holdout_responders', 'holdout_contacts') }} as ci_high,
        {{ two_proportion_p_value('treatment_responders', 'treatment_contacts', 'holdout_responders', 'holdout_contacts') }} as p_value,
        revenue_per_contact_difference * treatment_contacts as incremental_revenue,
        (revenue_per_contact_difference - 1.959964 * revenue_difference_standard_error)
            * treatment_contacts as incremental_revenue_ci_low,
        (revenue_per_contact_difference + 1.959964 * revenue_difference_standard_error)
            * treatment_contacts as incremental_revenue_ci_high,
        margin_per_contact_difference * treatment_contacts as incremental_margin,
        discount_given,
        cost,
    from compared

),

final as (

    select
        campaign_id,
        window_days,
        is_complete,
        treatment_contacts,
        holdout_contacts,
        case when is_complete then treatment_rate end as treatment_rate,
        case when is_complete then holdout_rate end as holdout_rate,
        case when is_complete then treatment_rate - holdout_rate end as uplift_abs,
        case when is_complete then (treatment_rate - holdout_rate) / nullif(holdout_rate, 0) end as uplift_rel,
        case when is_complete then ci_low end as ci_low,
        case when is_complete then ci_high end as ci_high,
        case when is_complete then p_value end as p_value,
        case when is_complete then ci_low > 0 or ci_high < 0 end as significant,
        case when is_complete then (treatment_rate - holdout_rate) * treatment_contacts end as incremental_responders,
        case when is_complete then incremental_revenue end as incremental_revenue,
        case when is_complete then incremental_revenue_ci_low end as incremental_revenue_ci_low,
        case when is_complete then incremental_revenue_ci_high end as incremental_revenue_ci_high,
        case when is_complete then incremental_margin end as incremental_margin,
        case when is_complete then discount_given end as discount_given,
        case when is_complete then cost end as cost,
        case when is_complete then (incremental_margin - cost) / nullif(cost, 0) end as roi,
    from measured

)

select * from final
