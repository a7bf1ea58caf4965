-- One row per (kind, acquisition_channel, month, months_since_previous) with a purchase: the
-- purchases and margin that clv_by_channel sums over its window (kind `order_month`) and over
-- its cohorts whose month 11 is complete (kind `cohort_month`); macros/clv_channel_cells.sql
-- says what each cell holds. Free of as_of: the mart applies the window.
-- Kept by deltas: each measure is a sum over buyers of a share made of the buyer's own
-- purchases and attributes, so a refresh adds the share of the buyers int_purchases and
-- int_buyers rebuilt and takes away their old one (kept by those tables' pre_hooks) instead of
-- re-reading every purchase; when that does not hold (a first build, an input not refreshed in
-- this run, a load that deleted rows) it sums every buyer (macros/before_images.sql).
{{ config(
    materialized='incremental',
    pre_hook="{{ delta_cells_hook(this, 'int_clv_channel_cells', ['int_purchases', 'int_buyers']) }}"
) }}

{{ delta_cells_select(
    'int_clv_channel_cells',
    ['int_purchases', 'int_buyers'],
    clv_channel_cells,
    ['kind', 'acquisition_channel', 'month', 'months_since_previous'],
    ['purchases', 'margin_purchases', 'margin'],
    ['purchases']
) }}
