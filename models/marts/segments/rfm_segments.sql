-- One row per buyer at as_of: recency, frequency, monetary, their scores, cell, segment and
-- value tier (see rfm_segments.yml for each definition).

with

assigned as not materialized (

    select * from {{ ref('int_rfm_segments_assigned') }}
    where snapshot = 'current'

),

-- rank = 1 + the buyers with a smaller monetary (ties share the lowest rank), counted over the
-- distinct amounts: no sort of every buyer (a window ordered over all of them runs on one
-- thread), a lookup by amount instead. BIGINT, not the HUGEINT a sum returns: the m_score
-- arithmetic below runs per buyer, and 128-bit integer division is several times slower.
monetary_ranks as (

    select
        monetary,
        cast(coalesce(
            sum(buyers) over (order by monetary rows between unbounded preceding and 1 preceding),
            0
        ) + 1 as bigint) as monetary_rank,
    from (
        select
            monetary,
            count(*) as buyers,
        from assigned
        group by monetary
    )

),

-- percent_rank = (rank - 1) / (n - 1); a lone buyer ranks top
ranked as (

    select
        assigned.customer_id,
        assigned.recency_days,
        assigned.frequency,
        assigned.monetary,
        assigned.r_score,
        assigned.f_score,
        assigned.segment,
        monetary_ranks.monetary_rank,
        buyer_count.buyers,
    from assigned
    inner join monetary_ranks
        on monetary_ranks.monetary = assigned.monetary
    cross join (select count(*) as buyers from assigned) as buyer_count

),

-- m_score = 1 + floor(5 x percent_rank) in integer arithmetic, so 5 x 3/15 is exactly 1
monetary_scored as (

    select
        *,
        case when buyers = 1 then 1.0 else (monetary_rank - 1) / (buyers - 1) end as monetary_percent_rank,
        case when buyers = 1 then 5 else least(5, 1 + (5 * (monetary_rank - 1)) // (buyers - 1)) end as m_score,
    from ranked

),

final as (

    select
        customer_id,
        recency_days,
        frequency,
        -- DECIMAL(18, 2) as int_rfm_segments_assigned keeps it: a 38-digit decimal column is
        -- some ten times slower to read back (rfm_segment_summary and the pages sum it)
        monetary,
        r_score,
        f_score,
        m_score::integer as m_score,
        concat(r_score, f_score, m_score) as rfm_cell,
        segment,
        case
            when monetary_percent_rank >= {{ var('value_tier_gold') }} then 'gold'
            when monetary_percent_rank >= {{ var('value_tier_silver') }} then 'silver'
            else 'bronze'
        end as value_tier,
    from monetary_scored

)

select * from final
