-- One row per (campaign, group, customer) contacted by the end of as_of: the customer's
-- earliest contact in that group. A customer in both groups of one campaign gets a row in
-- each, flagged is_in_both_groups: the marts leave them out of every count (data_quality
-- reports them as contact_in_both_groups). The campaign's own settings (channel, window,
-- costs) are per campaign: int_campaign_windows carries them.

with

as_of as (

    select as_of from {{ ref('int_as_of') }}

),

contacts as (

    select * from {{ ref('stg_shop__campaign_contacts') }}

),

-- one pass over the contacts: the groups are `treatment` and `holdout` (ingest rejects any
-- other value), so each customer's earliest contact in each is one aggregate
by_customer as (

    select
        contacts.campaign_id,
        contacts.customer_id,
        min(contacts.contacted_at) filter (where contacts.contact_group = 'treatment') as treatment_contacted_at,
        min(contacts.contacted_at) filter (where contacts.contact_group = 'holdout') as holdout_contacted_at,
    from contacts
    cross join as_of
    where cast(contacts.contacted_at as date) <= as_of.as_of
    group by contacts.campaign_id, contacts.customer_id

),

final as (

    select
        campaign_id,
        customer_id,
        'treatment' as contact_group,
        treatment_contacted_at as contacted_at,
        holdout_contacted_at is not null as is_in_both_groups,
    from by_customer
    where treatment_contacted_at is not null
    union all
    select
        campaign_id,
        customer_id,
        'holdout' as contact_group,
        holdout_contacted_at as contacted_at,
        treatment_contacted_at is not null as is_in_both_groups,
    from by_customer
    where holdout_contacted_at is not null

)

select * from final
