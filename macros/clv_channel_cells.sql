{#
  The contribution of some buyers to the purchase measures of clv_by_channel
  (int_clv_channel_cells): `relations` = [their rows of int_purchases, their rows of int_buyers].
  Each measure is a sum over buyers, each buyer's share made of their own purchases and
  acquisition channel and cohort alone, so a refresh adds the rebuilt buyers' new share and
  takes away their old one (delta_cells_select). Nothing here depends on as_of: the mart picks
  the cells of its window and of its complete cohorts. Rows by (kind, acquisition_channel,
  month, months_since_previous):
  - kind `order_month`, by (acquisition_channel, month = order_month, months_since_previous):
    every purchase. months_since_previous is the number of months from the month of the
    buyer's previous purchase (int_purchases' days_since_prev) to this one's, capped at 12,
    and 12 for a buyer's first purchase: a purchase is the first of its buyer's in a window of
    12 months or fewer exactly when its previous purchase is before the window's first month,
    i.e. months_since_previous > the months from that first month to its own, which a gap of
    12 or more always is. The cap keeps the cells linear in the months of history (2,814 rows
    at 10M orders over 36 months against 4,913 keyed by the previous month itself);
    clv_by_channel's window (the last 12 complete months) must not grow past it;
  - kind `cohort_month`, by (acquisition_channel, month = cohort_month), months_since_previous
    null: the purchases of the cohort's first year, months 0..11 (order_month <= cohort_month
    + 11 months).
  Margin is summed as the purchases' exact DECIMAL, so a delta cancels exactly; a null margin
  counts as 0 in `margin` and not in `margin_purchases`, from which the mart tells a sum of no
  margin at all (null, as sum() says) from one of 0, and a cell is the same row whichever way it
  was made.
#}
{% macro clv_channel_cells(relations) %}
    with
    -- only the columns read
    purchases as not materialized (
        select
            customer_id,
            order_date,
            order_month,
            gross_margin,
            days_since_prev,
        from {{ relations[0] }}
    ),

    -- the last month of the cohort's first year: per buyer, so no purchase adds months
    buyers as not materialized (
        select
            customer_id,
            acquisition_channel,
            cohort_month,
            cast(cohort_month + interval 11 month as date) as first_year_last_month,
        from {{ relations[1] }}
    ),

    buyer_purchases as (
        select
            buyers.acquisition_channel,
            buyers.cohort_month,
            purchases.order_month,
            purchases.gross_margin,
            coalesce(
                least(
                    date_diff('month', purchases.order_date - cast(purchases.days_since_prev as integer), purchases.order_date),
                    12
                ),
                12
            ) as months_since_previous,
            purchases.order_month <= buyers.first_year_last_month as is_in_first_year,
        from purchases
        inner join buyers
            on purchases.customer_id = buyers.customer_id
    ),

    cells as (
        select
            'order_month' as kind,
            acquisition_channel,
            order_month as month,
            months_since_previous,
            count(*) as purchases,
            count(gross_margin) as margin_purchases,
            coalesce(sum(gross_margin), 0) as margin,
        from buyer_purchases
        group by acquisition_channel, order_month, months_since_previous
        union all
        select
            'cohort_month' as kind,
            acquisition_channel,
            cohort_month as month,
            cast(null as bigint) as months_since_previous,
            count(*) as purchases,
            count(gross_margin) as margin_purchases,
            coalesce(sum(gross_margin), 0) as margin,
        from buyer_purchases
        where is_in_first_year
        group by acquisition_channel, cohort_month
    )

    -- one row per key (every cell holds a purchase); counts as BIGINT, money as summed
    select
        kind,
        acquisition_channel,
        month,
        months_since_previous,
        cast(purchases as bigint) as purchases,
        cast(margin_purchases as bigint) as margin_purchases,
        margin,
    from cells
{% endmacro %}
