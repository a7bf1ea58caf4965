{#
  The pre_hook of the campaign contact stages (one row per contact, per contact and window, per
  contact and category), rebuilt per customer. The customers to rebuild are
  - with `first_purchase` given (rows made of the customer's purchases or item lines): those
    whose purchases changed. When the rule int_purchases computed this run holds for `target`
    (same as_of, loads no newer than those `target` absorbed: refresh_buyers_hook's test,
    share=true) they are its customers that are not there by a review alone: every customer
    whose purchases int_purchases rebuilt, the previous owners of moved purchases among them.
    Else the table's own purchase rule (customers_to_refresh, the purchases rebuilt since
    `target`'s loads, the previous owner of `first_purchase`).
  - the customers with a contact loaded since, or whose contact day a moved as_of crossed;
  - every contacted customer when `campaigns` changed (response windows), a contact or
    campaign row was deleted, or `settings` differ from the rows'.
  Its cost: one pass over the contacts' load and contact times; the passes over the orders,
  the item lines and int_purchases are int_purchases' own, done once a run. The "everybody"
  parts are decided first, into a variable: a constant when the statement is planned, so the
  scans of the branch not taken are dropped (a subquery in the filter would scan every contact
  and customer to test it).
  Notes the customers in a temporary table `name` the model's query reads (same connection),
  then deletes their old rows. The stages' `_loaded_through` includes the contact and campaign
  loads (newest_contact_load below).
#}
{% macro refresh_contacts_hook(target, name, first_purchase=none, settings=none) %}
    {% if is_incremental() %}
    {% set purchases = first_purchase is not none %}
    {% if purchases %}
    {{ shared_refresh_tables() }}
    set variable huitou_contacts_shared = {{ shared_refresh_holds(target) }};
    {% endif %}
    set variable huitou_contacts_everybody = (
        with watermark as (select coalesce(max(_loaded_through), '-infinity') as loaded_through from {{ target }})
        select
            exists (
                select 1 from {{ source('shop', 'campaigns') }} as campaigns, watermark
                where campaigns._loaded_at > watermark.loaded_through
            ) or exists (
                -- read by name: the ingest's bookkeeping, not a source of the shop
                select 1 from raw.row_deletions as deletions, watermark
                where deletions.deleted_at > watermark.loaded_through
                    and deletions.source in ('campaign_contacts', 'campaigns')
            ){% if settings is not none %} or exists (
                select 1 from {{ target }} as previous
                where previous._settings is distinct from '{{ settings }}'
            ){% endif %}
    );
    create or replace temp table {{ name }} as
    with
    {{ watermark_ctes(target) }},
    changed as (
        {% if purchases %}
        select customer_id from huitou_scratch.refresh_shared_customers
        where getvariable('huitou_contacts_shared') and not by_review
        union all
        select customer_id from (
            {{ customers_to_refresh(purchaseless_target(target, settings), false, [], settings) }}
        )
        where not getvariable('huitou_contacts_shared')
        union all
        select purchases.customer_id
        from {{ ref('int_purchases') }} as purchases, watermark
        where not getvariable('huitou_contacts_shared')
            and purchases._loaded_through > watermark.loaded_through
        union all
        select previous.customer_id
        from {{ target }} as previous
        where not getvariable('huitou_contacts_shared')
            and previous.{{ first_purchase }} in (
                select coalesce(orders.parent_order_id, orders.order_id)
                from {{ ref('stg_shop__orders') }} as orders, watermark
                where orders._loaded_at > watermark.loaded_through
            )
        union all
        {% endif %}
        select contacts.customer_id
        from {{ source('shop', 'campaign_contacts') }} as contacts, watermark, moved
        where contacts._loaded_at > watermark.loaded_through
            or (cast(contacts.contacted_at as date) > moved.after
                and cast(contacts.contacted_at as date) <= moved.through)
        union all
        select contacts.customer_id
        from {{ source('shop', 'campaign_contacts') }} as contacts
        where getvariable('huitou_contacts_everybody')
        union all
        select previous.customer_id
        from {{ target }} as previous
        where getvariable('huitou_contacts_everybody')
    )
    select distinct customer_id from changed;
    delete from {{ target }} where customer_id in (select customer_id from {{ name }});
    {{ settle_as_of(target) }}
    {% endif %}
{% endmacro %}

{#
  The newest raw load of the campaign contacts and settings, for the `_loaded_through` of a
  contact stage. Read from the sources: `_loaded_at` is ingest bookkeeping
  that the staging models of these two tables do not pass on.
#}
{% macro newest_contact_load() %}
    greatest(
        (select max(_loaded_at) from {{ source('shop', 'campaign_contacts') }}),
        (select max(_loaded_at) from {{ source('shop', 'campaigns') }})
    )
{% endmacro %}
