-- One row per (kind, tier, acquisition_channel, channel, order_month) with a purchase: the
-- additive monthly repurchase measures that int_repurchase_monthly_groups sums into its groups
-- (macros/repurchase_cells.sql says what each cell holds).
-- Kept by deltas: each measure is a sum over buyers of a share made of the buyer's own
-- purchases and attributes, so a refresh adds the share of the buyers int_purchases and
-- int_buyers rebuilt and takes away their old one (kept by those tables' pre_hooks) instead of
-- re-reading every purchase; when that does not hold (a first build, an input not refreshed in
-- this run, a load that deleted rows) it sums every buyer (macros/before_images.sql).
{{ config(
    materialized='incremental',
    pre_hook="{{ delta_cells_hook(this, 'int_repurchase_cells', ['int_purchases', 'int_buyers']) }}"
) }}

{{ delta_cells_select(
    'int_repurchase_cells',
    ['int_purchases', 'int_buyers'],
    repurchase_cells,
    ['kind', 'tier', 'acquisition_channel', 'channel', 'order_month'],
    ['buyers', 'new_buyers', 'returning_buyers', 'repeat_in_month_buyers', 'purchases', 'revenue',
     'revenue_new', 'revenue_returning', 'buyback_buyers'],
    ['purchases']
) }}
