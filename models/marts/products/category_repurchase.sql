-- One row per category of `products`: its buyers, those who bought it on 2+ distinct days,
-- and the gaps in days between consecutive such days over all its buyers (its 回购周期).
-- Percentiles interpolate linearly, so the median of an even count is the middle two's mean.

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

buying_days as (

    select distinct customer_id, category, order_date
    from purchase_items
    where category is not null

),

gaps as (

    select
        customer_id,
        category,
        date_diff('day', lag(order_date) over (partition by customer_id, category order by order_date), order_date)
            as days_between,
    from buying_days

),

buyer_days as (

    select
        category,
        customer_id,
        count(*) as buying_days,
    from buying_days
    group by category, customer_id

),

buyer_counts as (

    select
        category,
        count(*) as buyers,
        count(*) filter (where buying_days >= 2) as repeat_in_category_buyers,
    from buyer_days
    group by category

),

gap_quantiles as (

    select
        category,
        quantile_cont(days_between, 0.5) as median_days_between,
        quantile_cont(days_between, 0.25) as p25_days_between,
        quantile_cont(days_between, 0.75) as p75_days_between,
    from gaps
    where days_between is not null
    group by category

),

final as (

    select
        categories.category,
        coalesce(buyer_counts.buyers, 0) as buyers,
        coalesce(buyer_counts.repeat_in_category_buyers, 0) as repeat_in_category_buyers,
        buyer_counts.repeat_in_category_buyers / nullif(buyer_counts.buyers, 0) as repeat_in_category_rate,
        gap_quantiles.median_days_between,
        gap_quantiles.p25_days_between,
        gap_quantiles.p75_days_between,
    from categories
    left join buyer_counts
        on buyer_counts.category = categories.category
    left join gap_quantiles
        on gap_quantiles.category = categories.category

)

select * from final
