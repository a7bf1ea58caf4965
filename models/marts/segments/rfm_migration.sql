-- One row per (from_segment, to_segment) with customers > 0: each buyer's segment at
-- as_of - 90 (as if the data ended then) and at as_of. `none` means not a buyer on that day.

with

assigned as (

    select * from {{ ref('int_rfm_segments_assigned') }}

),

prior_segments as (

    select customer_id, segment from assigned where snapshot = 'prior'

),

current_segments as (

    select customer_id, segment from assigned where snapshot = 'current'

),

moves as (

    select
        coalesce(prior_segments.segment, 'none') as from_segment,
        coalesce(current_segments.segment, 'none') as to_segment,
    from prior_segments
    full outer join current_segments
        on current_segments.customer_id = prior_segments.customer_id

),

final as (

    select
        from_segment,
        to_segment,
        count(*) as customers,
    from moves
    group by from_segment, to_segment

)

select * from final
