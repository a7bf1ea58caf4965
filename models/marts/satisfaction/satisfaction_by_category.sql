-- One row per category of `products`: the purchases holding it, how many of those were
-- reviewed by as_of, their mean rating and the share rated 1 or 2 (one rating per purchase:
-- its earliest review).

with

purchase_items as (

    select * from {{ ref('int_purchase_items') }}

),

purchase_reviews as (

    select * from {{ ref('int_purchase_reviews') }}

),

-- the categories of the products launched by as_of (or without a launch date)
categories as (

    select subject as category
    from {{ ref('int_product_role_metrics') }}
    where level = 'category'

),

category_purchases as (

    select distinct category, purchase_id
    from purchase_items
    where category is not null

),

rated as (

    select
        category_purchases.category,
        category_purchases.purchase_id,
        purchase_reviews.rating,
    from category_purchases
    left join purchase_reviews
        on purchase_reviews.purchase_id = category_purchases.purchase_id

),

final as (

    select
        categories.category,
        count(rated.purchase_id) as purchases,
        count(rated.rating) as reviewed_purchases,
        count(rated.rating) / nullif(count(rated.purchase_id), 0) as review_rate,
        avg(rated.rating) as avg_rating,
        count(rated.rating) filter (where rated.rating <= 2) / nullif(count(rated.rating), 0) as low_rating_share,
    from categories
    left join rated
        on rated.category = categories.category
    group by categories.category

)

select * from final
