-- One row per rating of the first purchase (`1`..`5`, `none`): the buyers whose first
-- purchase is at least 180 days before as_of, and the share of them who bought again on a
-- later day within 180 days. Every rating has a row, empty ones included.

with

buyers as (

    select * from {{ ref('int_buyer_first_purchases') }}
    where is_matured_180d

),

purchase_reviews as (

    select * from {{ ref('int_purchase_reviews') }}

),

ratings as (

    select unnest(['1', '2', '3', '4', '5', 'none']) as first_rating

),

rated_buyers as (

    select
        coalesce(purchase_reviews.rating::varchar, 'none') as first_rating,
        buyers.has_repurchase_180d,
    from buyers
    left join purchase_reviews
        on purchase_reviews.purchase_id = buyers.first_purchase_id

),

final as (

    select
        ratings.first_rating,
        count(rated_buyers.first_rating) as buyers_matured,
        count(rated_buyers.first_rating) filter (where rated_buyers.has_repurchase_180d)
            / nullif(count(rated_buyers.first_rating), 0) as repurchase_rate_180d,
    from ratings
    left join rated_buyers
        on rated_buyers.first_rating = ratings.first_rating
    group by ratings.first_rating

)

select * from final
