-- One row per (campaign, group, customer) contacted by the end of as_of: the customer's
-- earliest contact in that group. A customer in both groups of one campaign gets a row in
-- each, flagged is_in_both_groups: the marts leave them out of every count (data_quality
-- reports them as contact_in_both_groups). The campaign's own settings (channel, window,
-- costs) are per campaign: int_campaign_windows carries them.
-- A row depends on the customer's contacts up to as_of only, so the table is incremental by
-- customer (macros/refresh_contacts.sql): a run rebuilds the customers whose
-- contacts were loaded or whose contact days as_of moved across, and keeps everybody else's.
{{ config(
    materialized='incremental',
    pre_hook="{{ refresh_contacts_hook(this, 'refresh_int_campaign_contacts_deduplicated') }}"
) }}

with

as_of as (

    select as_of from {{ ref('int_as_of') }}

),

contacts as (

    select * from {{ ref('stg_shop__campaign_contacts') }}
    {% if is_incremental() %}
    where customer_id in (select customer_id from refresh_int_campaign_contacts_deduplicated)
    {% endif %}

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

deduplicated as (

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

),

loaded as (

    -- The newest load among the tables a contact is made of, and those the customers to
    -- rebuild are compared with (macros/customers_to_refresh.sql).
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
        deduplicated.*,
        -- Bookkeeping of the incremental build (see macros/refresh_contacts.sql).
        (select _loaded_through from loaded) as _loaded_through,
        (select as_of from as_of) as _as_of,
    from deduplicated

)

select * from final
