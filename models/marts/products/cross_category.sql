-- One row per category of `products`: its buyers, and those of them who also bought another
-- category (items of products missing from `products` have no category and count for none).

with

-- one row per (buyer, category), flagged when the buyer bought another category too (the
-- per-customer stage, rebuilt per changed customer)
buyer_categories as (

    select category, is_cross_buyer from {{ ref('int_buyer_categories') }}
    where category is not null

),

-- the categories of the products launched by as_of (or without a launch date)
categories as (

    select subject as category
    from {{ ref('int_product_role_metrics') }}
    where level = 'category'

),

category_buyers as (

    select
        category,
        count(*) as buyers,
        count(*) filter (where is_cross_buyer) as cross_buyers,
    from buyer_categories
    group by category

),

final as (

    select
        categories.category,
        coalesce(category_buyers.buyers, 0) as buyers,
        coalesce(category_buyers.cross_buyers, 0) as cross_buyers,
        category_buyers.cross_buyers / nullif(category_buyers.buyers, 0) as cross_share,
    from categories
    left join category_buyers
        on category_buyers.category = categories.category

)

select * from final
