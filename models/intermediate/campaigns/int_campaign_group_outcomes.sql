-- One row per (campaign, group, window of int_campaign_windows) for every group with a
-- contact by as_of: its contacts and what they bought in [contacted_at, contacted_at +
-- window_days), summed over the contacts, with the sums of squares Welch's standard error
-- needs (every contact counts, zeros included). Customers in both groups of a campaign are
-- left out of every count, so every mart counts alike. Each contact is joined to the buyer's
-- purchases once, over the campaign's longest window; the shorter windows filter those pairs.

with

-- not materialized: read twice below, and a scan is cheaper than a copy of every contact
contacts as not materialized (

    select * from {{ ref('int_campaign_contacts_deduplicated') }}

),

purchases as (

    select * from {{ ref('int_purchases') }}

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

campaign_reach as (

    select
        campaign_id,
        max(window_days) as longest_window_days,
    from campaign_windows
    group by campaign_id

),

-- each contact with the end of the campaign's longest window, computed once per contact
contact_reach as (

    select
        contacts.campaign_id,
        contacts.contact_group,
        contacts.customer_id,
        contacts.contacted_at,
        contacts.contacted_at + to_days(campaign_reach.longest_window_days) as reach_ends_at,
    from contacts
    inner join campaign_reach
        on campaign_reach.campaign_id = contacts.campaign_id
    where not contacts.is_in_both_groups

),

-- a redemption: a treatment contact's purchase in the window with a coupon and this campaign
contact_purchases as (

    select
        contact_reach.campaign_id,
        contact_reach.contact_group,
        contact_reach.customer_id,
        contact_reach.contacted_at,
        purchases.ordered_at,
        purchases.net_revenue,
        purchases.gross_margin,
        contact_reach.contact_group = 'treatment'
            and purchases.coupon_code is not null
            and purchases.campaign_id = contact_reach.campaign_id as is_redemption,
        purchases.discount_amount,
    from contact_reach
    inner join purchases
        on purchases.customer_id = contact_reach.customer_id
        and purchases.ordered_at >= contact_reach.contacted_at
        and purchases.ordered_at < contact_reach.reach_ends_at

),

-- one row per responding contact and window
responses as (

    select
        contact_purchases.campaign_id,
        contact_purchases.contact_group,
        contact_purchases.customer_id,
        campaign_windows.window_days,
        sum(contact_purchases.net_revenue) as revenue,
        sum(contact_purchases.gross_margin) as gross_margin,
        count(*) filter (where contact_purchases.is_redemption) as redemptions,
        coalesce(sum(contact_purchases.discount_amount) filter (where contact_purchases.is_redemption), 0)
            as discount_given,
    from contact_purchases
    inner join campaign_windows
        on campaign_windows.campaign_id = contact_purchases.campaign_id
        and contact_purchases.ordered_at < contact_purchases.contacted_at + to_days(campaign_windows.window_days)
    group by
        contact_purchases.campaign_id,
        contact_purchases.contact_group,
        contact_purchases.customer_id,
        campaign_windows.window_days

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
