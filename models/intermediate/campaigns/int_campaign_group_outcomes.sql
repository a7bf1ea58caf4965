-- One row per (campaign, group, window of int_campaign_windows) for every group with a
-- contact by as_of: its contacts and what they bought in [contacted_at, contacted_at +
-- window_days), summed over the contacts, with the sums of squares Welch's standard error
-- needs (every contact counts, zeros included). Customers in both groups of a campaign are
-- left out of every count, so every mart counts alike. The responding contacts come from
-- int_campaign_contact_responses (the per-customer stage); this model sums them.

with

contacts as (

    select * from {{ ref('int_campaign_contacts_deduplicated') }}

),

-- one row per responding contact and window (the per-customer stage, rebuilt per changed
-- customer)
responses as (

    select * from {{ ref('int_campaign_contact_responses') }}

),

campaign_windows as (

    select * from {{ ref('int_campaign_windows') }}

),

-- every group with a contact by as_of has rows, even if all its contacts are in both groups
group_contacts as (

    select
        campaign_id,
        contact_group,
        count(*) filter (where not is_in_both_groups) as contacts,
    from contacts
    group by campaign_id, contact_group

),

response_totals as (

    select
        campaign_id,
        contact_group,
        window_days,
        count(*) as responders,
        cast(sum(revenue) as decimal(38, 2)) as revenue,
        -- exact: DECIMAL(38, 4) (a narrower DECIMAL product overflows), so the variance below
        -- is rounded once, at the end
        sum(cast(revenue as decimal(38, 2)) * cast(revenue as decimal(38, 2))) as revenue_squares,
        sum(gross_margin) as gross_margin,
        sum(redemptions) as redemptions,
        sum(discount_given) as discount_given,
    from responses
    group by campaign_id, contact_group, window_days

),

final as (

    select
        campaign_windows.campaign_id,
        group_contacts.contact_group,
        campaign_windows.window_days,
        campaign_windows.is_complete,
        group_contacts.contacts,
        coalesce(response_totals.responders, 0) as responders,
        coalesce(response_totals.revenue, 0) as revenue,
        coalesce(response_totals.gross_margin, 0) as gross_margin,
        -- the sample variance of revenue per contact, zeros included:
        -- (n x sum of squares - sum^2) / (n (n - 1)); null for fewer than 2 contacts
        case
            when group_contacts.contacts >= 2
                then cast(
                    group_contacts.contacts * coalesce(response_totals.revenue_squares, 0)
                        - coalesce(response_totals.revenue, 0) * coalesce(response_totals.revenue, 0)
                    as double
                ) / (group_contacts.contacts * (group_contacts.contacts - 1))
        end as revenue_variance,
        cast(coalesce(response_totals.redemptions, 0) as bigint) as redemptions,
        coalesce(response_totals.discount_given, 0) as discount_given,
    from campaign_windows
    inner join group_contacts
        on group_contacts.campaign_id = campaign_windows.campaign_id
    left join response_totals
        on response_totals.campaign_id = campaign_windows.campaign_id
        and response_totals.contact_group = group_contacts.contact_group
        and response_totals.window_days = campaign_windows.window_days

)

select * from final
