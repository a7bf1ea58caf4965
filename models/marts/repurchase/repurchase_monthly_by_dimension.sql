-- repurchase_monthly per group of the dimensions channel, tier and acquisition_channel.
-- Groups of one dimension overlap (a buyer of two channels is in both): never sum them.
with

groups as (
    select * from {{ ref('int_repurchase_monthly_groups') }}
),

final as (
    select
        dimension,
        value,
        month,
        buyers,
        new_buyers,
        returning_buyers,
        repeat_in_month_buyers,
        purchases,
        revenue,
        revenue_new,
        revenue_returning,
        aov,
        revenue_per_buyer,
        repurchase_rate,
        returning_customer_rate,
        buyback_rate,
        is_partial,
        previous_month_buyers,
        buyback_buyers,
    from groups
    where dimension <> 'all'
)

select * from final
