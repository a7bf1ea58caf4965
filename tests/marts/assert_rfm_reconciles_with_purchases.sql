-- The RFM marts account for every buyer and every yuan: rfm_segments has one row per buyer of
-- int_purchases, its monetary sums to their net revenue, rfm_segment_summary adds up to it,
-- and rfm_migration moves every buyer of either snapshot exactly once.
with

purchases as (

    select
        count(distinct customer_id) as buyers,
        sum(net_revenue) as revenue,
    from {{ ref('int_purchases') }}

),

segments as (

    select
        count(*) as buyers,
        sum(monetary) as revenue,
    from {{ ref('rfm_segments') }}

),

summary as (

    select
        sum(customers) as buyers,
        sum(revenue) as revenue,
    from {{ ref('rfm_segment_summary') }}

),

migration as (

    select
        sum(customers) as buyers,
    from {{ ref('rfm_migration') }}

),

snapshot_buyers as (

    select
        count(distinct customer_id) as buyers,
    from {{ ref('int_rfm_segments_assigned') }}

),

final as (

    select 'rfm_segments' as failing_check
    from purchases, segments
    where segments.buyers <> purchases.buyers or segments.revenue <> purchases.revenue
    union all
    select 'rfm_segment_summary'
    from purchases, summary
    where summary.buyers <> purchases.buyers or summary.revenue <> purchases.revenue
    union all
    select 'rfm_migration'
    from migration, snapshot_buyers
    where migration.buyers <> snapshot_buyers.buyers

)

select * from final
