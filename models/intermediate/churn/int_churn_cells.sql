-- One row per (acquisition_channel, month_index) with events: the churn flows' events that
-- int_churn_channel_months sums up to each month (macros/churn_cells.sql says what they are).
-- Kept by deltas: each event is a buyer's own, so a refresh adds the events of the buyers
-- int_purchases and int_buyers rebuilt and takes away their old ones (kept by those tables'
-- pre_hooks) instead of re-reading every purchase; when that does not hold (a first build, an
-- input not refreshed in this run, a load that deleted rows, another churn_days) it sums every
-- buyer (macros/before_images.sql).
{% set settings = 'churn_days=' ~ var('churn_days') %}
{{ config(
    materialized='incremental',
    pre_hook="{{ delta_cells_hook(this, 'int_churn_cells', ['int_purchases', 'int_buyers'], settings='churn_days=' ~ var('churn_days')) }}"
) }}

{{ delta_cells_select(
    'int_churn_cells',
    ['int_purchases', 'int_buyers'],
    churn_cells,
    ['acquisition_channel', 'month_index'],
    ['active', 'active_revenue', 'churned', 'churned_revenue', 'new_buyers', 'reactivated'],
    ['active', 'active_revenue', 'churned', 'churned_revenue', 'new_buyers', 'reactivated'],
    settings
) }}
