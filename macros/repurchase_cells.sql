{#
  The contribution of some buyers to the monthly repurchase measures (int_repurchase_cells):
  `relations` = [their rows of int_purchases, their rows of int_buyers]. Every measure is a sum
  over buyers, each buyer's share made of their own purchases and attributes alone, so a
  refresh adds the rebuilt buyers' new share and takes away their old one (delta_cells_select).
  Rows by (kind, tier, acquisition_channel, channel, order_month):
  - kind `buyer`, by (tier, acquisition_channel, month), channel null: the cells the `all`,
    `tier` and `acquisition_channel` groups sum (a buyer has one tier and one acquisition
    channel, so the groups of one dimension never overlap); all of the buyer's purchases count;
  - kind `channel`, by (channel, month), tier and acquisition_channel null: only that channel's
    purchases count, and a buyer counts in every channel they bought in.
  New vs returning always follows the buyer's first purchase overall (cohort_month).

  Each purchase knows from days_since_prev whether it is the first of its buyer's month (the
  previous purchase is before the month, or there is none) and whether that previous purchase
  is in the month before (a buyback): counting such purchases counts buyers without grouping
  the purchases by buyer. Only the `channel` cells need each buyer's channels per month.
#}
{% macro repurchase_cells(relations) %}
    with
    -- only the columns read
    purchases as not materialized (
        select
            customer_id,
            channel,
            order_date,
            order_month,
            net_revenue,
            days_since_prev,
            -- where the buyer's previous purchase (none: the first) stands against this month
            coalesce(order_date - cast(days_since_prev as integer) < order_month, true) as is_first_in_month,
            coalesce(last_day(order_date - cast(days_since_prev as integer)) + 1 = order_month, false) as is_buyback,
        from {{ relations[0] }}
    ),

    buyers as not materialized (
        select
            customer_id,
            cohort_month,
            tier,
            acquisition_channel,
        from {{ relations[1] }}
    ),

    buyer_purchase_cells as (
        select
            buyers.tier,
            buyers.acquisition_channel,
            purchases.order_month,
            count(*) filter (where purchases.is_first_in_month) as buyers,
            count(*) filter (where purchases.is_first_in_month and purchases.order_month = buyers.cohort_month)
                as new_buyers,
            count(*) filter (where purchases.is_first_in_month and purchases.order_month <> buyers.cohort_month)
                as returning_buyers,
            count(*) as purchases,
            sum(purchases.net_revenue) as revenue,
            coalesce(sum(purchases.net_revenue) filter (where purchases.order_month = buyers.cohort_month), 0)
                as revenue_new,
            coalesce(sum(purchases.net_revenue) filter (where purchases.order_month <> buyers.cohort_month), 0)
                as revenue_returning,
            count(*) filter (where purchases.is_buyback) as buyback_buyers,
        from purchases
        inner join buyers
            on purchases.customer_id = buyers.customer_id
        group by buyers.tier, buyers.acquisition_channel, purchases.order_month
    ),

    -- a buyer with 2+ purchases in a month has one that is not the month's first
    buyer_repeat_cells as (
        select
            buyers.tier,
            buyers.acquisition_channel,
            repeat_months.order_month,
            count(*) as repeat_in_month_buyers,
        from (
            select distinct
                customer_id,
                order_month,
            from purchases
            where not is_first_in_month
        ) as repeat_months
        inner join buyers
            on repeat_months.customer_id = buyers.customer_id
        group by buyers.tier, buyers.acquisition_channel, repeat_months.order_month
    ),

    -- one row per (buyer, channel, month with a purchase in that channel). month_index
    -- (year x 12 + month - 1) finds the previous month.
    channel_month_purchases as materialized (
        select
            customer_id,
            channel,
            order_month,
            year(order_month) * 12 + month(order_month) - 1 as month_index,
            count(*) as purchases,
            sum(net_revenue) as revenue,
            bool_or(days_since_prev is null) as has_first_purchase,
            bool_or(is_first_in_month) as has_first_in_month,
            bool_or(is_buyback) as has_buyback,
        from purchases
        group by customer_id, channel, order_month
    ),

    -- a channel month holding the buyer's first purchase of the month is new when that is the
    -- first purchase ever; the others (another channel came first that month) ask int_buyers
    channel_months as (
        select
            *,
            has_first_purchase as is_new_buyer,
        from channel_month_purchases
        where has_first_in_month
        union all
        select
            channel_month_purchases.*,
            buyers.cohort_month = channel_month_purchases.order_month as is_new_buyer,
        from channel_month_purchases
        inner join buyers
            on buyers.customer_id = channel_month_purchases.customer_id
        where not channel_month_purchases.has_first_in_month
    ),

    channel_month_cells as (
        select
            channel,
            order_month,
            count(*) as buyers,
            count(*) filter (where is_new_buyer) as new_buyers,
            count(*) filter (where not is_new_buyer) as returning_buyers,
            count(*) filter (where purchases >= 2) as repeat_in_month_buyers,
            sum(purchases) as purchases,
            sum(revenue) as revenue,
            coalesce(sum(revenue) filter (where is_new_buyer), 0) as revenue_new,
            coalesce(sum(revenue) filter (where not is_new_buyer), 0) as revenue_returning,
        from channel_months
        group by channel, order_month
    ),

    -- a channel's buyback: the buyer bought in that channel in the previous month too. Only a
    -- month after a month with a purchase can be one: the channel month holding the buyer's
    -- first purchase of the month says so (has_buyback), the others (another channel came
    -- first) are looked up too; the join hashes these few and streams all channel months past
    -- them.
    channel_buyback_cells as (
        select
            channel_months.channel,
            channel_months.order_month,
            count(*) as buyback_buyers,
        from channel_month_purchases as previous_channel_months
        inner join channel_month_purchases as channel_months
            on channel_months.customer_id = previous_channel_months.customer_id
            and channel_months.channel is not distinct from previous_channel_months.channel
            and channel_months.month_index = previous_channel_months.month_index + 1
        where channel_months.has_buyback or not channel_months.has_first_in_month
        group by channel_months.channel, channel_months.order_month
    ),

    cells as (
        select
            'buyer' as kind, tier, acquisition_channel, cast(null as varchar) as channel, order_month,
            buyers, new_buyers, returning_buyers, 0 as repeat_in_month_buyers, purchases, revenue,
            revenue_new, revenue_returning, buyback_buyers,
        from buyer_purchase_cells
        union all by name
        select
            'buyer' as kind, tier, acquisition_channel, cast(null as varchar) as channel, order_month,
            repeat_in_month_buyers,
        from buyer_repeat_cells
        union all by name
        select
            'channel' as kind, cast(null as varchar) as tier, cast(null as varchar) as acquisition_channel,
            channel, order_month,
            buyers, new_buyers, returning_buyers, repeat_in_month_buyers, purchases, revenue,
            revenue_new, revenue_returning,
        from channel_month_cells
        union all by name
        select
            'channel' as kind, cast(null as varchar) as tier, cast(null as varchar) as acquisition_channel,
            channel, order_month,
            buyback_buyers,
        from channel_buyback_cells
    )

    -- one row per key; counts as BIGINT (sums of counts are HUGEINT), money as summed
    select
        kind,
        tier,
        acquisition_channel,
        channel,
        order_month,
        cast(coalesce(sum(buyers), 0) as bigint) as buyers,
        cast(coalesce(sum(new_buyers), 0) as bigint) as new_buyers,
        cast(coalesce(sum(returning_buyers), 0) as bigint) as returning_buyers,
        cast(coalesce(sum(repeat_in_month_buyers), 0) as bigint) as repeat_in_month_buyers,
        cast(coalesce(sum(purchases), 0) as bigint) as purchases,
        coalesce(sum(revenue), 0) as revenue,
        coalesce(sum(revenue_new), 0) as revenue_new,
        coalesce(sum(revenue_returning), 0) as revenue_returning,
        cast(coalesce(sum(buyback_buyers), 0) as bigint) as buyback_buyers,
    from cells
    group by kind, tier, acquisition_channel, channel, order_month
{% endmacro %}
