{#
  The pre_hook of an incremental table whose rows are per customer but not per purchase (one
  row per campaign contact, per contact and window): the narrow stage an aggregate mart sums.
  The customers to rebuild are those of customers_to_refresh
  (macros/customers_to_refresh.sql, with its `reviews`, `windows` and `settings`), plus the
  previous owner of a re-exported purchase that moved to another customer, which
  customers_to_refresh finds through a purchase_id column that a table of another grain does
  not have:
  - int_purchases rebuilt that customer in this run (its own purchase_id rule), so their
    remaining purchases there carry a `_loaded_through` newer than the loads the target
    absorbed;
  - a customer left without any purchase is found by `first_purchase` (a column of the target:
    a purchase each row is made of, null on some rows if the customer has one elsewhere):
    every purchase they had moved, so that one did too.
  `first_purchase=none`: the rows are not made of purchases (campaign contacts): neither.
  `contacts=true`: the rows also depend on the customer's campaign contacts by as_of and on
  the campaigns' settings (response windows), so a customer is also rebuilt when one of their
  contacts was loaded or as_of moved across its day, and every contacted customer when
  `campaigns` changed or a contact or campaign row was deleted. The target's
  `_loaded_through` then includes those loads (newest_contact_load below).
  Notes the customers in a temporary table the model's query reads (same connection), then
  deletes their old rows.
#}
{% macro refresh_aggregate_hook(target, name, first_purchase, reviews=false, windows=[], settings=none, contacts=false) %}
    {% if is_incremental() %}
    {% set bookkeeping = purchaseless_target(target, settings) %}
    create or replace temp table {{ name }} as
    with
    watermark as (
        select coalesce(max(_loaded_through), '-infinity') as loaded_through, max(_as_of) as previous_as_of,
        from {{ target }}
    ),
    changed as (
        select customer_id from (
            {{ customers_to_refresh(bookkeeping, reviews, windows, settings) }}
        )
        {% if first_purchase is not none %}
        union all
        select purchases.customer_id
        from {{ ref('int_purchases') }} as purchases, watermark
        where purchases._loaded_through > watermark.loaded_through
        union all
        select previous.customer_id
        from {{ target }} as previous
        where previous.{{ first_purchase }} in (
            select coalesce(orders.parent_order_id, orders.order_id)
            from {{ ref('stg_shop__orders') }} as orders, watermark
            where orders._loaded_at > watermark.loaded_through
        )
        {% endif %}
        {% if contacts %}
        union all
        select contacts.customer_id
        from {{ source('shop', 'campaign_contacts') }} as contacts
        cross join watermark
        cross join {{ ref('int_as_of') }} as as_of
        where contacts._loaded_at > watermark.loaded_through
            or (cast(contacts.contacted_at as date) > least(watermark.previous_as_of, as_of.as_of)
                and cast(contacts.contacted_at as date) <= greatest(watermark.previous_as_of, as_of.as_of))
        union all
        select everybody.customer_id
        from (
            select customer_id from {{ source('shop', 'campaign_contacts') }}
            union all
            select customer_id from {{ target }}
        ) as everybody
        where exists (
            select 1 from {{ source('shop', 'campaigns') }} as campaigns, watermark
            where campaigns._loaded_at > watermark.loaded_through
        ) or exists (
            -- read by name: the ingest's bookkeeping, not a source of the shop
            select 1 from raw.row_deletions as deletions, watermark
            where deletions.deleted_at > watermark.loaded_through
                and deletions.source in ('campaign_contacts', 'campaigns')
        )
        {% endif %}
    )
    select distinct customer_id from changed;
    delete from {{ target }} where customer_id in (select customer_id from {{ name }});
    {{ settle_as_of(target) }}
    {% endif %}
{% endmacro %}

{#
  The newest raw load of the campaign contacts and settings, for the `_loaded_through` of a
  table built with `contacts=true`. Read from the sources: `_loaded_at` is ingest bookkeeping
  that the staging models of these two tables do not pass on.
#}
{% macro newest_contact_load() %}
    greatest(
        (select max(_loaded_at) from {{ source('shop', 'campaign_contacts') }}),
        (select max(_loaded_at) from {{ source('shop', 'campaigns') }})
    )
{% endmacro %}
