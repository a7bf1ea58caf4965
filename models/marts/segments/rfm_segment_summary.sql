-- One row per segment of the rfm_segment_map seed, empty segments included.

with

segment_map as (

    select * from {{ ref('rfm_segment_map') }}

),

segments as (

    select * from {{ ref('rfm_segments') }}

),

segment_names as (

    select distinct segment from segment_map

),

totals as (

    select
        count(*) as customers,
        sum(monetary) as revenue,
    from segments

),

by_segment as (

    select
        segment,
        count(*) as customers,
        sum(monetary) as revenue,
        avg(recency_days) as avg_recency_days,
        avg(frequency) as avg_frequency,
        avg(monetary) as avg_monetary,
    from segments
    group by segment

),

final as (

    select
        segment_names.segment,
        coalesce(by_segment.customers, 0) as customers,
        coalesce(by_segment.customers, 0) / nullif(totals.customers, 0) as share,
        coalesce(by_segment.revenue, 0) as revenue,
        case when totals.revenue > 0 then coalesce(by_segment.revenue, 0) / totals.revenue end as revenue_share,
        by_segment.avg_recency_days,
        by_segment.avg_frequency,
        by_segment.avg_monetary,
    from segment_names
    cross join totals
    left join by_segment
        on by_segment.segment = segment_names.segment

)

select * from final
