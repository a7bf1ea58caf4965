-- One row per category held by a purchase: the purchases holding it, how many have a rating,
-- the sum of those ratings and how many are rated 1 or 2, which satisfaction_by_category turns
-- into its rates (macros/satisfaction_cells.sql says what each cell holds).
-- Kept by deltas: each measure is a sum over buyers of a share made of the buyer's own item
-- lines and reviews, so a refresh adds the share of the buyers int_purchase_items and
-- int_purchase_reviews rebuilt and takes away their old one (kept by those tables' pre_hooks)
-- instead of re-reading every item line; when that does not hold (a first build, an input not
-- refreshed in this run, a load that deleted rows) it sums every buyer (macros/before_images.sql).
{{ config(
    materialized='incremental',
    pre_hook="{{ delta_cells_hook(this, 'int_satisfaction_cells', ['int_purchase_items', 'int_purchase_reviews']) }}"
) }}

{{ delta_cells_select(
    'int_satisfaction_cells',
    ['int_purchase_items', 'int_purchase_reviews'],
    satisfaction_cells,
    ['category'],
    ['purchases', 'reviewed_purchases', 'rating_sum', 'low_rated_purchases'],
    ['purchases']
) }}
