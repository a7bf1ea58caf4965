-- int_purchase_snapshots' checks at its clv_calibration snapshot, on the table built from it
-- (a test of the view itself recomputed every purchase at three snapshots in every run; the
-- as_of snapshot is checked on int_purchases, rfm_prior in rfm_prior_purchases_end_by_prior.sql):
-- every buyer is known, bought nothing after the calibration end, and has no negative revenue.
with

calibration as (
    select * from {{ ref('int_clv_calibration') }}
),

failures as (
    select customer_id, last_purchase_date, calibration_end, calibration_revenue,
    from calibration
    where customer_id is null
        or last_purchase_date > calibration_end
        or calibration_revenue < 0
)

select * from failures
