-- One row per (campaign, group, customer) contacted by the end of as_of: the customer's
-- earliest contact in that group, with the campaign's channel, own window and costs. A
-- customer in both groups of one campaign gets a row in each, flagged is_in_both_groups: the
-- marts leave them out of every count (data_quality reports them as contact_in_both_groups).
-- Contacts of a campaign missing from `campaigns` are kept: null channel, the default
-- window, no costs.

with

as_of as (

    select as_of from {{ ref('int_as_of') }}

),

contacts as (

    select * from {{ ref('stg_shop__campaign_contacts') }}

),

campaigns as (

    select * from {{ ref('stg_shop__campaigns') }}

),

contacts_until_as_of as (

    select contacts.*
    from contacts
    cross join as_of
    where cast(contacts.contacted_at as date) <= as_of.as_of

),

customer_groups as (

    select
        campaign_id,
        contact_group,
        customer_id,
        min(contacted_at) as contacted_at,
        count(*) over (partition by campaign_id, customer_id) > 1 as is_in_both_groups,
    from contacts_until_as_of
    group by campaign_id, contact_group, customer_id

),

final as (

    select
        customer_groups.campaign_id,
        customer_groups.customer_id,
        customer_groups.contact_group,
        customer_groups.contacted_at,
        customer_groups.is_in_both_groups,
        campaigns.channel,
        coalesce(campaigns.response_window_days, {{ var('default_response_window_days') }}) as own_window_days,
        coalesce(campaigns.cost_per_contact, 0) as cost_per_contact,
        coalesce(campaigns.coupon_cost, 0) as coupon_cost,
    from customer_groups
    left join campaigns
        on campaigns.campaign_id = customer_groups.campaign_id

)

select * from final
