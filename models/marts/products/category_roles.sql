-- One row per category of `products`: the product_roles columns computed per category, with
-- percentiles taken over categories.

with

roles as (

    select * from {{ ref('int_product_roles_assigned') }}
    where level = 'category'

),

final as (

    select
        subject as category,
        revenue,
        revenue_share,
        margin_rate,
        first_purchase_share,
        repeat_after_first_rate,
        returning_revenue_share,
        revenue_growth_90d,
        days_since_launch,
        role,
    from roles

)

select * from final
