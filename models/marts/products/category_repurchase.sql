-- One row per category of `products`: its buyers, those who bought it on 2+ distinct days,
-- and the gaps in days between consecutive such days over all its buyers (its 回购周期).
-- Percentiles interpolate linearly, so the median of an even count is the middle two's mean.

with

-- one row per (buyer, category) with the gaps between the buyer's buying days of it (the
-- per-customer stage, rebuilt per changed customer)
buyer_categories as (

    select category, days_between from {{ ref('int_buyer_categories') }}
    where category is not null

),

-- the categories of the products launched by as_of (or without a launch date)
categories as (

    select subject as category
    from {{ ref('int_product_role_metrics') }}
    where level = 'category'

),

buyer_counts as (

    select
        category,
        count(*) as buyers,
        count(*) filter (where len(days_between) > 0) as repeat_in_category_buyers,
    from buyer_categories
    group by category

),

category_gaps as (

    select
        category,
        unnest(days_between) as days_between,
    from buyer_categories

),

gap_percentiles as (

    select
        category,
        quantile_cont(days_between, 0.5) as median_days_between,
        quantile_cont(days_between, 0.25) as p25_days_between,
        quantile_cont(days_between, 0.75) as p75_days_between,
    from category_gaps
    group by category

),

final as (

    select
        categories.category,
        coalesce(buyer_counts.buyers, 0) as buyers,
        coalesce(buyer_counts.repeat_in_category_buyers, 0) as repeat_in_category_buyers,
        buyer_counts.repeat_in_category_buyers / nullif(buyer_counts.buyers, 0)
            as repeat_in_category_rate,
        gap_percentiles.median_days_between,
        gap_percentiles.p25_days_between,
        gap_percentiles.p75_days_between,
    from categories
    left join buyer_counts
        on buyer_counts.category = categories.category
    left join gap_percentiles
        on gap_percentiles.category = categories.category

)

select * from final
