-- One row per buyer of the calibration end (as_of - clv_holdout_days): the facts of
-- int_clv_calibration that do not move with as_of itself - the BTYD inputs as if the data
-- ended that day and the distinct purchase days in the holdout (calibration end, as_of].
-- Incremental by customer: a buyer's rows depend on their orders and refunds dated around the
-- calibration end (the `clv_holdout_days` window) and as_of (the holdout's end), so a nightly
-- run rebuilds only the buyers whose history or window changed
-- (macros/buyers_to_refresh.sql: refresh_snapshot_buyers_hook); a new clv_holdout_days
-- rebuilds everybody (`_settings`).
{{ config(
    materialized='incremental',
    pre_hook="{{ refresh_snapshot_buyers_hook(this, 'refresh_int_clv_calibration_buyers', '_purchase_hash', var('clv_holdout_days'), settings='clv_holdout_days=' ~ var('clv_holdout_days')) }}"
) }}

{#- referenced in either kind of run: the dependencies, and so the definition hash, stay the same -#}
{% set purchase_snapshots = ref('int_purchase_snapshots') %}

with

as_of as (
    select * from {{ ref('int_as_of') }}
),

calibration_purchases as (
    select * from {{ snapshot_purchases(
        'clv_calibration',
        'as_of - cast(' ~ var('clv_holdout_days') ~ ' as integer)',
        'refresh_int_clv_calibration_buyers'
    ) }}
),

-- the BTYD inputs at the calibration end (int_clv_inputs' rule): purchases merged by day,
-- frequency = days - 1, monetary_value = mean revenue of the repeat days
calibration_days as (
    select
        snapshot_date,
        customer_id,
        order_date,
        sum(net_revenue) as day_revenue,
        min(hash(purchase_id)) as purchase_hash,
    from calibration_purchases
    group by snapshot_date, customer_id, order_date
),

calibration_per_buyer as (
    select
        snapshot_date,
        customer_id,
        count(*) - 1 as frequency,
        min(order_date) as first_purchase_date,
        max(order_date) as last_purchase_date,
        sum(day_revenue) as revenue,
        -- the repeat days' revenue is everything but the first day's
        sum(day_revenue) - arg_min(day_revenue, order_date) as repeat_revenue,
        min(purchase_hash) as purchase_hash,
    from calibration_days
    group by snapshot_date, customer_id
),

inputs as (
    select
        customer_id,
        frequency,
        last_purchase_date - first_purchase_date as recency_days,
        case when frequency > 0 then repeat_revenue / frequency else 0 end as monetary_value,
        first_purchase_date,
        last_purchase_date,
        revenue,
        purchase_hash,
    from calibration_per_buyer
),

purchases as (
    select * from {{ ref('int_purchases') }}
    {% if is_incremental() %}
    where customer_id in (select customer_id from refresh_int_clv_calibration_buyers)
    {% endif %}
),

-- the distinct purchase days in the holdout (calibration end, as_of]: a purchase starts a
-- day when its previous one (days_since_prev) is on an earlier day or it has none
holdout_days as (
    select
        purchases.customer_id,
        count(*) as holdout_purchase_days,
    from purchases
    cross join as_of
    where purchases.order_date > as_of.as_of - cast({{ var('clv_holdout_days') }} as integer)
        and (purchases.days_since_prev is null or purchases.days_since_prev > 0)
    group by purchases.customer_id
),

loaded as (
    -- The newest load among the tables a row is made of (those of int_purchases).
    select {{ newest_load([
        'stg_shop__orders',
        'stg_shop__order_items',
        'stg_shop__customers',
        'stg_shop__products'
    ]) }} as _loaded_through
),

final as (
    select
        inputs.customer_id,
        inputs.frequency,
        inputs.recency_days,
        inputs.monetary_value,
        inputs.first_purchase_date,
        inputs.last_purchase_date,
        -- DECIMAL(18, 2), the type of the money summed: a 38-digit decimal column is some ten
        -- times slower to read back (clv_calibration_purchases_end_by_calibration reads it all)
        cast(inputs.revenue as decimal(18, 2)) as calibration_revenue,
        coalesce(holdout_days.holdout_purchase_days, 0) as holdout_purchase_days,
        inputs.purchase_hash as _purchase_hash,
        -- Bookkeeping of the incremental build (see macros/buyers_to_refresh.sql).
        'clv_holdout_days={{ var("clv_holdout_days") }}' as _settings,
        (select _loaded_through from loaded) as _loaded_through,
        (select as_of from as_of) as _as_of,
    from inputs
    left join holdout_days
        on inputs.customer_id = holdout_days.customer_id
)

select * from final
