-- One row per (snapshot, buyer): recency, frequency, their scores from the
-- rfm_score_thresholds seed and the segment from the rfm_segment_map seed. Snapshots:
-- `current` (as_of, from int_purchases) and `prior` (as_of - 90, for rfm_migration: the
-- `rfm_prior` snapshot of int_purchase_snapshots, the purchases "as if the data ended then",
-- so an order fully refunded after as_of - 90 still counts there).

with

as_of as (

    select * from {{ ref('int_as_of') }}

),

current_purchases as (

    select
        'current' as snapshot,
        as_of.as_of as snapshot_date,
        purchases.customer_id,
        purchases.order_date,
        purchases.net_revenue,
    from {{ ref('int_purchases') }} as purchases
    cross join as_of

),

prior_purchases as (

    select
        'prior' as snapshot,
        snapshot_date,
        customer_id,
        order_date,
        net_revenue,
    from {{ ref('int_purchase_snapshots') }}
    where snapshot = 'rfm_prior'

),

snapshot_purchases as (

    select * from current_purchases
    union all
    select * from prior_purchases

),

-- the seeds typed here too, so an edited seed whose types DuckDB guesses differently works
thresholds as (

    select
        cast(score_type as varchar) as score_type,
        cast(score as integer) as score,
        cast(min_value as integer) as min_value,
        cast(max_value as integer) as max_value,
    from {{ ref('rfm_score_thresholds') }}

),

segment_map as (

    select
        cast(r_score as integer) as r_score,
        cast(f_score as integer) as f_score,
        cast(segment as varchar) as segment,
    from {{ ref('rfm_segment_map') }}

),

buyer_activity as (

    select
        snapshot,
        snapshot_date,
        customer_id,
        date_diff('day', max(order_date), snapshot_date) as recency_days,
        count(*) as frequency,
        sum(net_revenue) as monetary,
    from snapshot_purchases
    group by snapshot, snapshot_date, customer_id

),

scored as (

    select
        buyer_activity.*,
        recency_band.score as r_score,
        frequency_band.score as f_score,
    from buyer_activity
    left join thresholds as recency_band
        on recency_band.score_type = 'recency'
        and buyer_activity.recency_days >= recency_band.min_value
        and (recency_band.max_value is null or buyer_activity.recency_days <= recency_band.max_value)
    left join thresholds as frequency_band
        on frequency_band.score_type = 'frequency'
        and buyer_activity.frequency >= frequency_band.min_value
        and (frequency_band.max_value is null or buyer_activity.frequency <= frequency_band.max_value)

),

final as (

    select
        scored.*,
        segment_map.segment,
    from scored
    left join segment_map
        on segment_map.r_score = scored.r_score
        and segment_map.f_score = scored.f_score

)

select * from final
