-- One row per (campaign, group, contact, category) for every contact (not in both groups) who
-- bought the category inside the campaign's own window [contacted_at, contacted_at +
-- own_window_days): that item revenue (quantity x unit_price, before order-level refunds; a
-- null category is a category of its own). The per-customer stage of
-- campaign_response_categories, which sums these rows over the complete windows.
-- A row depends on the customer's contacts and item lines up to as_of and on the campaigns'
-- own windows (their settings and default_response_window_days), not on as_of otherwise, so
-- it is incremental by customer (macros/refresh_contacts.sql): a run
-- rebuilds the customers whose purchases or contacts changed and keeps everybody else's.
{{ config(
    materialized='incremental',
    pre_hook="{{ refresh_contacts_hook(this, 'refresh_int_campaign_contact_categories', 'first_purchase_id', settings=var('default_response_window_days') | string) }}"
) }}

with

contacts as (
    select * from {{ ref('int_campaign_contacts_deduplicated') }}
    where not is_in_both_groups
    {% if is_incremental() %}
        and customer_id in (select customer_id from refresh_int_campaign_contact_categories)
    {% endif %}
),

purchase_items as (
    select * from {{ ref('int_purchase_items') }}
    {% if is_incremental() %}
        where customer_id in (select customer_id from refresh_int_campaign_contact_categories)
    {% endif %}
),

-- the campaign's own window follows from its settings alone
own_windows as (
    select campaign_id, window_days from {{ ref('int_campaign_windows') }}
    where is_own_window
),

loaded as (
    -- The newest load among the tables an item line and a contact are made of.
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
        contacts.campaign_id,
        contacts.contact_group,
        contacts.customer_id,
        purchase_items.category,
        cast(sum(purchase_items.item_revenue) as decimal(18, 2)) as item_revenue,
        min(purchase_items.purchase_id) as first_purchase_id,
        -- Bookkeeping of the incremental build (see macros/refresh_contacts.sql).
        (select _loaded_through from loaded) as _loaded_through,
        (select as_of from {{ ref('int_as_of') }}) as _as_of,
        '{{ var("default_response_window_days") }}' as _settings,
    from contacts
    inner join own_windows
        on own_windows.campaign_id = contacts.campaign_id
    inner join purchase_items
        on purchase_items.customer_id = contacts.customer_id
        and purchase_items.ordered_at >= contacts.contacted_at
        and purchase_items.ordered_at < contacts.contacted_at + to_days(own_windows.window_days)
    group by
        contacts.campaign_id,
        contacts.contact_group,
        contacts.customer_id,
        purchase_items.category
)

select * from final
