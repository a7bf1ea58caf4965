-- int_purchase_snapshots' checks at its rfm_prior snapshot, on the table built from it (a test
-- of the view itself recomputed every purchase at three snapshots in every run; the as_of
-- snapshot is checked on int_purchases, clv_calibration in
-- clv_calibration_purchases_end_by_calibration.sql): every buyer is known, bought nothing after
-- the snapshot day (recency not negative), and has no negative revenue.
with

prior as (
    select * from {{ ref('int_rfm_segments_assigned') }}
    where snapshot = 'prior'
),

failures as (
    select customer_id, snapshot_date, recency_days, monetary,
    from prior
    where customer_id is null
        or recency_days < 0
        or monetary < 0
)

select * from failures
