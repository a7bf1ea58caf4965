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

buyer_categories as (

    select distinct customer_id, category
    from purchase_items
    where category is not null

),

buyer_breadth as (

    select
        customer_id,
        count(*) as categories_bought,
    from buyer_categories
    group by customer_id

),

final as (

    select
        categories.category,
        count(buyer_categories.customer_id) as buyers,
        count(buyer_categories.customer_id) filter (where buyer_breadth.categories_bought > 1) as cross_buyers,
        count(buyer_categories.customer_id) filter (where buyer_breadth.categories_bought > 1)
            / nullif(count(buyer_categories.customer_id), 0) as cross_share,
    from categories
    left join buyer_categories
        on buyer_categories.category = categories.category
    left join buyer_breadth
        on buyer_breadth.customer_id = buyer_categories.customer_id
    group by categories.category

)

select * from final
