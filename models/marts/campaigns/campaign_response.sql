-- One row per (campaign_id, group, window_days): who was contacted, who bought inside their
-- window and for how much. Incomplete windows keep contacts only.

with

campaign_windows as (

    select * from {{ ref('int_campaign_windows') }}

),

outcomes as (

    select * from {{ ref('int_campaign_group_outcomes') }}

),

final as (

    select
        outcomes.campaign_id,
        campaign_windows.channel,
        outcomes.contact_group as "group",
        outcomes.window_days,
        outcomes.contacts,
        outcomes.is_complete,
        case when outcomes.is_complete then outcomes.responders end as responders,
        case when outcomes.is_complete then outcomes.responders / nullif(outcomes.contacts, 0) end as response_rate,
        case when outcomes.is_complete then outcomes.revenue end as revenue,
        case when outcomes.is_complete then outcomes.gross_margin end as gross_margin,
        case when outcomes.is_complete then outcomes.revenue / nullif(outcomes.contacts, 0) end as revenue_per_contact,
    from outcomes
    inner join campaign_windows
        on campaign_windows.campaign_id = outcomes.campaign_id
        and campaign_windows.window_days = outcomes.window_days

)

select * from final
