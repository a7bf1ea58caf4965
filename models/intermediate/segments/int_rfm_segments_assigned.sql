-- One row per (snapshot, buyer): recency, frequency, their scores from the
-- rfm_score_thresholds seed and the segment from the rfm_segment_map seed. Snapshots:
-- `current` (as_of, from the buyer facts of int_buyers) and `prior` (as_of - 90, for
-- rfm_migration: int_rfm_prior_buyers, from the `rfm_prior` snapshot of int_purchase_snapshots,
-- the purchases "as if the data ended then", so an order fully refunded after as_of - 90 still
-- counts there). Both facts tables are kept per customer across refreshes; only the recency
-- and the scores move for everybody with as_of.
-- monetary is DECIMAL(18, 2), as the money it sums: a 38-digit decimal is far slower to
-- read back (rfm_segments ranks every buyer by it).

with

as_of as (

    select * from {{ ref('int_as_of') }}

),

current_buyers as (

    select
        'current' as snapshot,
        as_of.as_of as snapshot_date,
        buyers.customer_id,
        date_diff('day', buyers.last_purchase_date, as_of.as_of) as recency_days,
        buyers.purchases as frequency,
        cast(buyers.net_revenue as decimal(18, 2)) as monetary,
    from {{ ref('int_buyers') }} as buyers
    cross join as_of

),

prior_buyers as (

    select
        'prior' as snapshot,
        as_of.as_of - 90 as snapshot_date,
        prior.customer_id,
        date_diff('day', prior.last_purchase_date, as_of.as_of - 90) as recency_days,
        prior.frequency,
        prior.monetary,
    from {{ ref('int_rfm_prior_buyers') }} as prior
    cross join as_of

),

buyer_activity as (

    select * from current_buyers
    union all
    select * from prior_buyers

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

-- each recency and frequency that occurs, scored once: the range joins then run over a few
-- hundred values, and the buyers find their scores by equality
recency_scores as (

    select
        recencies.recency_days,
        recency_band.score as r_score,
    from (select distinct recency_days from buyer_activity) as recencies
    left join thresholds as recency_band
        on recency_band.score_type = 'recency'
        and recencies.recency_days >= recency_band.min_value
        and (recency_band.max_value is null or recencies.recency_days <= recency_band.max_value)

),

frequency_scores as (

    select
        frequencies.frequency,
        frequency_band.score as f_score,
    from (select distinct frequency from buyer_activity) as frequencies
    left join thresholds as frequency_band
        on frequency_band.score_type = 'frequency'
        and frequencies.frequency >= frequency_band.min_value
        and (frequency_band.max_value is null or frequencies.frequency <= frequency_band.max_value)

),

scored as (

    select
        buyer_activity.*,
        recency_scores.r_score,
        frequency_scores.f_score,
    from buyer_activity
    left join recency_scores
        on recency_scores.recency_days = buyer_activity.recency_days
    left join frequency_scores
        on frequency_scores.frequency = buyer_activity.frequency

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
