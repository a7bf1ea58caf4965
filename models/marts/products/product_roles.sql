-- One row per product of `products` (launched by as_of or without a launch date): its item
-- revenue, margin, place in first purchases and repeat purchases, growth, and role.

with

roles as (

    select * from {{ ref('int_product_roles_assigned') }}
    where level = 'product'

),

final as (

    select
        subject as product_id,
        category,
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
