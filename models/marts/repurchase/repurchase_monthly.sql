-- One row per calendar month from the first month with a purchase to the month of as_of:
-- buyers, new vs returning, repeats in the month, revenue and the three repurchase rates.
with

groups as (
    select * from {{ ref('int_repurchase_monthly_groups') }}
),

final as (
    select
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
    where dimension = 'all'
)

select * from final
