-- One row per calendar month from the first month with a purchase to the month of as_of:
-- buyers, new vs returning, repeats in the month, revenue and the three repurchase rates.
with

groups as (
    select * from {{ ref('int_repurchase_monthly_groups') }}
),

final as (
    select * exclude (dimension, value)
    from groups
    where dimension = 'all'
)

select * from final
