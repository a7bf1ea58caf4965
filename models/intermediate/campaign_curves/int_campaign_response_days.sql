-- One row per (campaign, group, day since contact) for every group of int_campaign_group_outcomes
-- and every day 0 .. the campaign's longest window - 1: the cumulative response curve the
-- campaign pages draw, by campaign_response's definitions. Day k of a contact is the 24 hours
-- [contacted_at + k days, contacted_at + k + 1 days); `responders` on day k are the contacts
-- (not in both groups) with a purchase in [contacted_at, contacted_at + k + 1 days), so day
-- window_days - 1 is campaign_response's window of window_days exactly. A day is complete when
-- the campaign's latest contact + k + 1 days is at or before the end of as_of; an incomplete
-- day keeps contacts and leaves the measures null, as campaign_response does.
-- Computed once for every campaign (a page reads its rows by campaign_id): only the contacts
-- who responded within the longest window (int_campaign_contact_responses) have their
-- purchases read again, for the time of the first. Not a published mart (metrics.md names
-- those); in a folder of its own because no mart reads it, so builds of the marts and their
-- ancestors (`+path:models/marts`) leave it and its tests out.

with

as_of as (

    select as_of from {{ ref('int_as_of') }}

),

contacts as (

    select * from {{ ref('int_campaign_contacts_deduplicated') }}

),

responses as (

    select * from {{ ref('int_campaign_contact_responses') }}

),

purchases as (

    select * from {{ ref('int_purchases') }}

),

campaign_windows as (

    select * from {{ ref('int_campaign_windows') }}

),

group_outcomes as (

    select * from {{ ref('int_campaign_group_outcomes') }}

),

-- the curve runs over the campaign's longest window, which holds every shorter one
campaign_reach as (

    select
        campaign_id,
        max(window_days) as longest_window_days,
        max(latest_contacted_at) as latest_contacted_at,
    from campaign_windows
    group by campaign_id

),

-- every group with a contact by as_of, with its contacts (those in both groups left out)
group_contacts as (

    select distinct
        campaign_id,
        contact_group,
        contacts,
    from group_outcomes

),

-- the contacts who bought within the longest window: nobody else has a first response
longest_responses as (

    select
        responses.campaign_id,
        responses.contact_group,
        responses.customer_id,
    from responses
    semi join campaign_reach
        on campaign_reach.campaign_id = responses.campaign_id
        and campaign_reach.longest_window_days = responses.window_days

),

-- their contact times (filtering the contacts by the longest window's responders alone, not
-- every window's rows, took a third off this model at 10M orders)
responders as (

    select
        contacts.campaign_id,
        contacts.contact_group,
        contacts.customer_id,
        contacts.contacted_at,
        contacts.contacted_at + to_days(campaign_reach.longest_window_days) as reach_ends_at,
    from contacts
    inner join campaign_reach
        on campaign_reach.campaign_id = contacts.campaign_id
    semi join longest_responses
        on longest_responses.campaign_id = contacts.campaign_id
        and longest_responses.contact_group = contacts.contact_group
        and longest_responses.customer_id = contacts.customer_id

),

-- whole days from the contact to the first purchase in the window (naive shop time: a day is
-- 86,400,000,000 microseconds)
first_responses as (

    select
        responders.campaign_id,
        responders.contact_group,
        responders.customer_id,
        (epoch_us(min(purchases.ordered_at)) - epoch_us(min(responders.contacted_at)))
            // 86400000000 as first_response_day,
    from responders
    inner join purchases
        on purchases.customer_id = responders.customer_id
        and purchases.ordered_at >= responders.contacted_at
        and purchases.ordered_at < responders.reach_ends_at
    group by
        responders.campaign_id,
        responders.contact_group,
        responders.customer_id

),

first_response_days as (

    select
        campaign_id,
        contact_group,
        first_response_day,
        count(*) as first_responders,
    from first_responses
    group by campaign_id, contact_group, first_response_day

),

campaign_days as (

    select
        campaign_id,
        latest_contacted_at,
        cast(unnest(range(longest_window_days)) as integer) as days_since_contact,
    from campaign_reach

),

curve as (

    select
        campaign_days.campaign_id,
        group_contacts.contact_group,
        campaign_days.days_since_contact,
        group_contacts.contacts,
        campaign_days.latest_contacted_at + to_days(campaign_days.days_since_contact + 1)
            <= cast(as_of.as_of + 1 as timestamp) as is_complete,
        cast(
            sum(coalesce(first_response_days.first_responders, 0)) over (
                partition by campaign_days.campaign_id, group_contacts.contact_group
                order by campaign_days.days_since_contact
            ) as bigint
        ) as responders,
    from campaign_days
    cross join as_of
    inner join group_contacts
        on group_contacts.campaign_id = campaign_days.campaign_id
    left join first_response_days
        on first_response_days.campaign_id = campaign_days.campaign_id
        and first_response_days.contact_group = group_contacts.contact_group
        and first_response_days.first_response_day = campaign_days.days_since_contact

),

final as (

    select
        campaign_id,
        contact_group as "group",
        days_since_contact,
        contacts,
        is_complete,
        case when is_complete then responders end as responders,
        case when is_complete then responders / nullif(contacts, 0) end as response_rate,
    from curve

)

select * from final
