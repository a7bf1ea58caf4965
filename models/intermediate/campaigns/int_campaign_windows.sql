-- One row per (campaign, window_days) for every campaign with a contact by the end of
-- as_of: the windows {7, 14, 30, the campaign's own} (a repeated value once), the campaign's
-- channel and costs, and whether the window is complete: the campaign's latest contact's
-- window has closed by the end of as_of (by midnight starting the next day). Campaigns missing
-- from `campaigns` get a null channel, the default window and no costs. The flag is per
-- campaign, not per group, so treatment and holdout are always compared on equal terms.

with

as_of as (

    select as_of from {{ ref('int_as_of') }}

),

contacts as (

    select * from {{ ref('int_campaign_contacts_deduplicated') }}

),

settings as (

    select * from {{ ref('stg_shop__campaigns') }}

),

-- contacts of a campaign missing from `campaigns` are kept: null channel, the default window,
-- no costs
campaigns as (

    select
        contacted.campaign_id,
        settings.channel,
        coalesce(settings.response_window_days, {{ var('default_response_window_days') }}) as own_window_days,
        coalesce(settings.cost_per_contact, 0) as cost_per_contact,
        coalesce(settings.coupon_cost, 0) as coupon_cost,
        contacted.latest_contacted_at,
    from (
        select
            campaign_id,
            max(contacted_at) as latest_contacted_at,
        from contacts
        group by campaign_id
    ) as contacted
    left join settings
        on settings.campaign_id = contacted.campaign_id

),

windows as (

    select distinct
        campaign_id,
        unnest([7, 14, 30, own_window_days]) as window_days,
    from campaigns

),

final as (

    select
        windows.campaign_id,
        windows.window_days,
        windows.window_days = campaigns.own_window_days as is_own_window,
        campaigns.channel,
        campaigns.own_window_days,
        campaigns.cost_per_contact,
        campaigns.coupon_cost,
        campaigns.latest_contacted_at,
        campaigns.latest_contacted_at + to_days(windows.window_days)
            <= cast(as_of.as_of + 1 as timestamp) as is_complete,
    from windows
    cross join as_of
    inner join campaigns
        on campaigns.campaign_id = windows.campaign_id

)

select * from final
