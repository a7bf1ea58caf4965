-- One row per category of `products`: its buyers, and those of them who also bought another
-- category (items of products missing from `products` have no category and count for none).

with

purchase_items as (

    select * from {{ ref('int_purchase_items') }}

),

-- the categories of the products launched by as_of (or without a launch date)
categories as (

    select subject as category
    from {{ ref('int_product_role_metrics') }}
    where level = 'category'

),

-- each buyer's categories, once each (one pass over the item lines, grouped by buyer only)
buyer_categories as (

    select
        list(distinct category) as categories,
    from purchase_items
    where category is not null
    group by customer_id

),

category_buyers as (

    select
        unnest(categories) as category,
        len(categories) > 1 as is_cross_buyer,
    from buyer_categories

),

final as (

    select
        categories.category,
        count(category_buyers.category) as buyers,
        count(category_buyers.category) filter (where category_buyers.is_cross_buyer) as cross_buyers,
        count(category_buyers.category) filter (where category_buyers.is_cross_buyer)
            / nullif(count(category_buyers.category), 0) as cross_share,
    from categories
    left join category_buyers
        on category_buyers.category = categories.category
    group by categories.category

)

select * from final
