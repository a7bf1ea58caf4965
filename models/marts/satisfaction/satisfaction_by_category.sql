-- One row per category of `products`: the purchases holding it, how many of those were
-- reviewed by as_of, their mean rating and the share rated 1 or 2 (one rating per purchase:
-- its earliest review).
--
-- The counts and the sum of ratings are sums over buyers kept by deltas in
-- int_satisfaction_cells: this model only takes the categories launched by as_of and derives
-- the rates.

with

cells as (

    select * from {{ ref('int_satisfaction_cells') }}

),

-- the categories of the products launched by as_of (or without a launch date)
categories as (

    select subject as category
    from {{ ref('int_product_role_metrics') }}
    where level = 'category'

),

final as (

    select
        categories.category,
        coalesce(cells.purchases, 0) as purchases,
        coalesce(cells.reviewed_purchases, 0) as reviewed_purchases,
        cells.reviewed_purchases / nullif(cells.purchases, 0) as review_rate,
        -- avg(rating) over integer ratings is, in DuckDB, double(sum) / double(count) (the sum
        -- kept in a BIGINT, one IEEE division): the same division of the same two exact
        -- integers gives the same double, bit for bit
        cast(cells.rating_sum as double) / cast(nullif(cells.reviewed_purchases, 0) as double) as avg_rating,
        cells.low_rated_purchases / nullif(cells.reviewed_purchases, 0) as low_rating_share,
    from categories
    left join cells
        on cells.category = categories.category

)

select * from final
