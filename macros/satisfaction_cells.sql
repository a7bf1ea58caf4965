{#
  The contribution of some buyers to the satisfaction measures by category
  (int_satisfaction_cells): `relations` = [their rows of int_purchase_items, their rows of
  int_purchase_reviews]. One row per category held by their purchases (a null category is no
  category: left out, as satisfaction_by_category always did): the purchases holding it, those
  with a rating (the purchase's row of int_purchase_reviews: its earliest review), the sum of
  those ratings and how many are rated 1 or 2.

  Every measure is a sum over buyers, each buyer's share made of their own rows alone: a
  purchase's item lines and its review row both carry the purchase's buyer (int_purchases'
  customer_id, which both tables take by joining int_purchases on purchase_id), so they are
  joined on (customer_id, purchase_id), within one buyer's rows. A refresh then adds the rebuilt
  buyers' new share and takes away their old one (delta_cells_select), also when only one of
  the two tables rebuilt a buyer (a new review of an old purchase): the other table's old rows
  are its current ones.
#}
{% macro satisfaction_cells(relations) %}
    with

    -- one row per (buyer, purchase, category it holds): a purchase counts once per category
    category_purchases as (
        select distinct
            customer_id,
            purchase_id,
            category,
        from {{ relations[0] }}
        where category is not null
    ),

    purchase_reviews as not materialized (
        select
            customer_id,
            purchase_id,
            rating,
        from {{ relations[1] }}
    ),

    rated as (
        select
            category_purchases.category,
            purchase_reviews.rating,
        from category_purchases
        left join purchase_reviews
            on purchase_reviews.customer_id = category_purchases.customer_id
            and purchase_reviews.purchase_id = category_purchases.purchase_id
    )

    -- one row per key; counts and the integer sum of ratings as BIGINT (exact, so deltas cancel)
    select
        category,
        cast(count(*) as bigint) as purchases,
        cast(count(rating) as bigint) as reviewed_purchases,
        cast(coalesce(sum(rating), 0) as bigint) as rating_sum,
        cast(count(*) filter (where rating <= 2) as bigint) as low_rated_purchases,
    from rated
    group by category
{% endmacro %}
