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

-- one row per (buyer, category): the gaps in days between the consecutive distinct days the
-- buyer bought it (one pass over the item lines, no window over them); a buyer of one day
-- has one null gap, so that every buyer is a row below
buyer_gaps as (

    select
        category,
        case
            when len(buying_days) >= 2 then list_transform(
                range(1, len(buying_days)),
                position -> date_diff('day', buying_days[position], buying_days[position + 1])
            )
            else [null]
        end as gaps,
    from (
        select
            category,
            list(distinct order_date order by order_date) as buying_days,
        from purchase_items
        where category is not null
        group by customer_id, category
    )

),

category_gaps as (

    select
        category,
        unnest(gaps) as days_between,
        unnest(range(1, len(gaps) + 1)) as gap_number,
    from buyer_gaps

),

-- buyers: their first gap; repeat buyers: a first gap that is not null
category_measures as (

    select
        category,
        count(*) filter (where gap_number = 1) as buyers,
        count(*) filter (where gap_number = 1 and days_between is not null) as repeat_in_category_buyers,
        quantile_cont(days_between, 0.5) as median_days_between,
        quantile_cont(days_between, 0.25) as p25_days_between,
        quantile_cont(days_between, 0.75) as p75_days_between,
    from category_gaps
    group by category

),

final as (

    select
        categories.category,
        coalesce(category_measures.buyers, 0) as buyers,
        coalesce(category_measures.repeat_in_category_buyers, 0) as repeat_in_category_buyers,
        category_measures.repeat_in_category_buyers / nullif(category_measures.buyers, 0)
            as repeat_in_category_rate,
        category_measures.median_days_between,
        category_measures.p25_days_between,
        category_measures.p75_days_between,
    from categories
    left join category_measures
        on category_measures.category = categories.category

)

select * from final
