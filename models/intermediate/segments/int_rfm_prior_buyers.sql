-- One row per buyer at as_of - 90 (the `rfm_prior` snapshot of int_purchase_snapshots: the
-- purchases as if the data ended then): their last purchase day, purchases and net revenue,
-- the facts of int_rfm_segments_assigned's prior snapshot that do not move with as_of itself.
-- Incremental by customer: a buyer's row depends on their orders and refunds dated around
-- as_of - 90 (the window), so a nightly run rebuilds only the buyers whose history or window
-- changed (macros/buyers_to_refresh.sql: refresh_snapshot_buyers_hook, int_purchases' rule of
-- this run plus the band around as_of - 90).
{{ config(
    materialized='incremental',
    pre_hook="{{ refresh_snapshot_buyers_hook(this, 'refresh_int_rfm_prior_buyers', '_purchase_hash', 90) }}"
) }}

{#- referenced in either kind of run: the dependencies, and so the definition hash, stay the
    same (the refresh rule reads int_purchases, named here for the same reason) -#}
{% set purchase_snapshots = ref('int_purchase_snapshots') %}
{% set purchases_table = ref('int_purchases') %}

with

purchases as (
    select * from {{ snapshot_purchases('rfm_prior', 'as_of - 90', 'refresh_int_rfm_prior_buyers') }}
),

loaded as (
    -- The newest load among the tables a row is made of (orders; those of int_purchases, as
    -- the refresh rule compares them).
    select {{ newest_load([
        'stg_shop__orders',
        'stg_shop__order_items',
        'stg_shop__customers',
        'stg_shop__products'
    ]) }} as _loaded_through
),

by_buyer as (
    select
        customer_id,
        max(order_date) as last_purchase_date,
        count(*) as frequency,
        cast(sum(net_revenue) as decimal(18, 2)) as monetary,
        -- bookkeeping (macros/buyers_to_refresh.sql): a number, cheaper to keep than an id
        min(hash(purchase_id)) as _purchase_hash,
    from purchases
    group by customer_id
),

final as (
    select
        by_buyer.*,
        -- Bookkeeping of the incremental build (see macros/buyers_to_refresh.sql).
        (select _loaded_through from loaded) as _loaded_through,
        (select as_of from {{ ref('int_as_of') }}) as _as_of,
    from by_buyer
)

select * from final
