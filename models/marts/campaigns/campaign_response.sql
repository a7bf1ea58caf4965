-- One row per (campaign_id, group, window_days): who was contacted, who bought inside their
-- window and for how much. Incomplete windows keep contacts only.

with

campaign_windows as (

    select * from {{ ref('int_campaign_windows') }}

),

contacts as (

    select * from {{ ref('int_campaign_contacts_deduplicated') }}

),

outcomes as (

    select * from {{ ref('int_campaign_contact_outcomes') }}

),

-- every group with a contact by as_of has rows, even if all its contacts were in both groups
campaign_groups as (

    select distinct campaign_id, contact_group from contacts

),

group_outcomes as (

    select
        campaign_id,
        contact_group,
        window_days,
        count(*) as contacts,
        count(*) filter (where is_responder) as responders,
        sum(revenue) as revenue,
        sum(gross_margin) as gross_margin,
    from outcomes
    group by campaign_id, contact_group, window_days

),

final as (

    select
        campaign_windows.campaign_id,
        campaign_windows.channel,
        campaign_groups.contact_group as "group",
        campaign_windows.window_days,
        coalesce(group_outcomes.contacts, 0) as contacts,
        campaign_windows.is_complete,
        case when campaign_windows.is_complete then coalesce(group_outcomes.responders, 0) end as responders,
        case when campaign_windows.is_complete then group_outcomes.responders / group_outcomes.contacts end as response_rate,
        case when campaign_windows.is_complete then coalesce(group_outcomes.revenue, 0) end as revenue,
        case when campaign_windows.is_complete then coalesce(group_outcomes.gross_margin, 0) end as gross_margin,
        case when campaign_windows.is_complete then group_outcomes.revenue / group_outcomes.contacts end as revenue_per_contact,
    from campaign_windows
    inner join campaign_groups
        on campaign_groups.campaign_id = campaign_windows.campaign_id
    left join group_outcomes
        on group_outcomes.campaign_id = campaign_windows.campaign_id
        and group_outcomes.contact_group = campaign_groups.contact_group
        and group_outcomes.window_days = campaign_windows.window_days

)

select * from final
