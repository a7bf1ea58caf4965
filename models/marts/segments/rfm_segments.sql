-- One row per buyer at as_of: recency, frequency, monetary, their scores, cell, segment and
-- value tier (see rfm_segments.yml for each definition).

with

assigned as (

    select * from {{ ref('int_rfm_segments_assigned') }}
    where snapshot = 'current'

),

-- percent_rank = (rank - 1) / (n - 1), ties sharing the lowest rank; a lone buyer ranks top
ranked as (

    select
        assigned.customer_id,
        assigned.recency_days,
        assigned.frequency,
        assigned.monetary,
        assigned.r_score,
        assigned.f_score,
        assigned.segment,
        rank() over (order by assigned.monetary) as monetary_rank,
        count(*) over () as buyers,
    from assigned

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
