-- repurchase_monthly per group of the dimensions channel, tier and acquisition_channel.
-- Groups of one dimension overlap (a buyer of two channels is in both): never sum them.
with

groups as (
    select * from {{ ref('int_repurchase_monthly_groups') }}
),

final as (
    select *
    from groups
    where dimension <> 'all'
)

select * from final
