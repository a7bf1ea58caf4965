-- One row per (campaign, group, contact, window of int_campaign_windows) for every contact
-- (not in both groups) who bought in [contacted_at, contacted_at + window_days): what they
-- bought there. The per-customer stage of int_campaign_group_outcomes, which sums these rows
-- per group and window. Each contact is joined to the buyer's purchases once, over the
-- campaign's longest window; the shorter windows filter those pairs.
-- A row depends on the customer's contacts and purchases up to as_of and on the campaigns'
-- windows (their settings and default_response_window_days), not on as_of otherwise, so it is
-- incremental by customer (macros/refresh_contacts.sql): a run rebuilds the
-- customers whose purchases or contacts changed and keeps everybody else's.
{{ config(
    materialized='incremental',
    pre_hook="{{ refresh_contacts_hook(this, 'refresh_int_campaign_contact_responses', 'first_purchase_id', settings=var('default_response_window_days') | string) }}"
) }}

with

contacts as (
    select * from {{ ref('int_campaign_contacts_deduplicated') }}
    where not is_in_both_groups
    {% if is_incremental() %}
        and customer_id in (select customer_id from refresh_int_campaign_contact_responses)
    {% endif %}
),

purchases as (
    select * from {{ ref('int_purchases') }}
    {% if is_incremental() %}
        where customer_id in (select customer_id from refresh_int_campaign_contact_responses)
    {% endif %}
),

-- the windows of a campaign follow from its settings alone
campaign_windows as (
    select campaign_id, window_days from {{ ref('int_campaign_windows') }}
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
),

-- a redemption: a treatment contact's purchase in the window with a coupon and this campaign
contact_purchases as (
    select
        contact_reach.campaign_id,
        contact_reach.contact_group,
        contact_reach.customer_id,
        contact_reach.contacted_at,
        purchases.purchase_id,
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

loaded as (
    -- The newest load among the tables a purchase and a contact are made of.
    select greatest(
        {{ newest_load([
            'stg_shop__orders',
            'stg_shop__order_items',
            'stg_shop__customers',
            'stg_shop__products'
        ]) }},
        {{ newest_contact_load() }}
    ) as _loaded_through
),

final as (
    select
        contact_purchases.campaign_id,
        contact_purchases.contact_group,
        contact_purchases.customer_id,
        campaign_windows.window_days,
        -- a contact's window fits the types of the amounts summed: the reader sums them
        -- again, and 38-digit decimals are far slower to scan
        cast(sum(contact_purchases.net_revenue) as decimal(18, 2)) as revenue,
        cast(sum(contact_purchases.gross_margin) as decimal(18, 4)) as gross_margin,
        count(*) filter (where contact_purchases.is_redemption) as redemptions,
        cast(
            coalesce(sum(contact_purchases.discount_amount) filter (where contact_purchases.is_redemption), 0)
            as decimal(18, 2)
        ) as discount_given,
        min(contact_purchases.purchase_id) as first_purchase_id,
        -- Bookkeeping of the incremental build (see macros/refresh_contacts.sql).
        (select _loaded_through from loaded) as _loaded_through,
        (select as_of from {{ ref('int_as_of') }}) as _as_of,
        '{{ var("default_response_window_days") }}' as _settings,
    from contact_purchases
    inner join campaign_windows
        on campaign_windows.campaign_id = contact_purchases.campaign_id
        and contact_purchases.ordered_at < contact_purchases.contacted_at + to_days(campaign_windows.window_days)
    group by
        contact_purchases.campaign_id,
        contact_purchases.contact_group,
        contact_purchases.customer_id,
        campaign_windows.window_days
)

select * from final
