-- One row per window - `all_time` and `t12m` (the 365 days ending as_of, as_of - 364 ..
-- as_of): how many buyers come back, how fast, members against non-members, how
-- concentrated revenue is, and how often orders are refunded or cancelled.
with

purchases as (
    select * from {{ ref('int_purchases') }}
),

orders as (
    select * from {{ ref('int_orders_as_of') }}
),

buyers as (
    select * from {{ ref('int_buyers') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

windows as (
    -- window_start null: no lower bound.
    select
        'all_time' as window_name,
        cast(null as date) as window_start,
        as_of,
    from as_of
    union all
    select
        't12m' as window_name,
        as_of - 364 as window_start,
        as_of,
    from as_of
),

window_purchases as (
    select
        windows.window_name,
        windows.window_start,
        purchases.*,
        windows.window_start is not null
            and buyers.first_purchase_date < windows.window_start as is_returning_buyer,
    from windows
    inner join purchases
        on windows.window_start is null or purchases.order_date >= windows.window_start
    inner join buyers
        on purchases.customer_id = buyers.customer_id
),

window_buyers as (
    select
        window_name,
        customer_id,
        count(*) as purchases,
        sum(net_revenue) as revenue,
        count(*) filter (where is_member_at_order) as member_purchases,
        coalesce(sum(net_revenue) filter (where is_member_at_order), 0) as member_revenue,
        count(*) filter (where not is_member_at_order) as non_member_purchases,
        coalesce(sum(net_revenue) filter (where not is_member_at_order), 0) as non_member_revenue,
    from window_purchases
    group by window_name, customer_id
),

buyer_counts as (
    select
        window_name,
        count(*) as buyers,
        count(*) filter (where purchases >= 2) as repeat_buyers,
        sum(purchases) as purchases,
        sum(purchases) filter (where purchases >= 2) as repeat_buyer_purchases,
        sum(revenue) as revenue,
        count(*) filter (where member_purchases >= 1) as member_buyers,
        count(*) filter (where member_purchases >= 2) as member_repeat_buyers,
        avg(member_purchases - 1) filter (where member_purchases >= 1) as member_avg_repurchases,
        sum(member_revenue) as member_revenue,
        count(*) filter (where non_member_purchases >= 1) as non_member_buyers,
        count(*) filter (where non_member_purchases >= 2) as non_member_repeat_buyers,
        sum(non_member_revenue) as non_member_revenue,
    from window_buyers
    group by window_name
),

revenue_ranked as (
    select
        window_buyers.window_name,
        window_buyers.revenue,
        row_number() over (
            partition by window_buyers.window_name
            order by window_buyers.revenue desc, window_buyers.customer_id
        ) as revenue_rank,
    from window_buyers
),

top_shares as (
    -- The top ceil(N% x buyers) buyers, in integer arithmetic so 10% of 30 is exactly 3.
    select
        revenue_ranked.window_name,
        sum(revenue_ranked.revenue) filter (
            where revenue_ranked.revenue_rank <= (buyer_counts.buyers * 10 + 99) // 100
        ) as top_10pct_revenue,
        sum(revenue_ranked.revenue) filter (
            where revenue_ranked.revenue_rank <= (buyer_counts.buyers * 20 + 99) // 100
        ) as top_20pct_revenue,
    from revenue_ranked
    inner join buyer_counts
        on revenue_ranked.window_name = buyer_counts.window_name
    group by revenue_ranked.window_name
),

aov_split as (
    select
        window_name,
        sum(net_revenue) filter (where is_returning_buyer)
            / count(*) filter (where is_returning_buyer) as returning_aov,
        sum(net_revenue) filter (where not is_returning_buyer)
            / nullif(count(*) filter (where not is_returning_buyer), 0) as new_aov,
    from window_purchases
    where window_start is not null
    group by window_name
),

next_purchase_days as (
    -- Each buyer's first purchase day and the next later day with a purchase.
    select
        buyers.customer_id,
        buyers.first_purchase_date,
        min(purchases.order_date) filter (
            where purchases.order_date > buyers.first_purchase_date
        ) as next_purchase_date,
    from buyers
    inner join purchases
        on buyers.customer_id = purchases.customer_id
    group by buyers.customer_id, buyers.first_purchase_date
),

matured_rates as (
    -- Of the buyers whose first purchase lies in the window and at least N days before
    -- as_of, the share with another purchase on a later day at most N days after it.
    select
        windows.window_name,
        {% for days in [90, 180, 365] %}
        count(*) filter (
            where next_purchase_days.first_purchase_date <= windows.as_of - {{ days }}
                and next_purchase_days.next_purchase_date - next_purchase_days.first_purchase_date <= {{ days }}
        ) / nullif(
            count(*) filter (where next_purchase_days.first_purchase_date <= windows.as_of - {{ days }}),
            0
        ) as repurchase_rate_{{ days }}d,
        {% endfor %}
    from windows
    inner join next_purchase_days
        on windows.window_start is null
        or next_purchase_days.first_purchase_date >= windows.window_start
    group by windows.window_name
),

second_purchases as (
    select
        windows.window_name,
        median(purchases.days_since_prev) as median_days_to_second_purchase,
    from windows
    inner join purchases
        on windows.window_start is null or purchases.order_date >= windows.window_start
    where purchases.order_seq = 2
    group by windows.window_name
),

order_rates as (
    -- A purchase counts as refunded when any of its orders stood partially refunded at as_of;
    -- fully refunded orders are counted on their own (they are not purchases).
    select
        windows.window_name,
        count(distinct orders.purchase_id) filter (where orders.is_purchase) as purchases,
        count(distinct orders.purchase_id) filter (
            where orders.is_purchase and orders.status = 'partially_refunded'
        ) as partially_refunded_purchases,
        count(*) filter (where orders.status = 'refunded') as refunded_orders,
        count(*) filter (where orders.status = 'cancelled') as cancelled_orders,
        count(*) as orders,
    from windows
    inner join orders
        on windows.window_start is null or orders.order_date >= windows.window_start
    group by windows.window_name
),

final as (
    select
        windows.window_name as "window",
        coalesce(buyer_counts.buyers, 0) as buyers,
        coalesce(buyer_counts.repeat_buyers, 0) as repeat_buyers,
        buyer_counts.repeat_buyers / nullif(buyer_counts.buyers, 0) as repurchase_rate,
        matured_rates.repurchase_rate_90d,
        matured_rates.repurchase_rate_180d,
        matured_rates.repurchase_rate_365d,
        buyer_counts.purchases / nullif(buyer_counts.buyers, 0) as avg_purchases_per_buyer,
        buyer_counts.repeat_buyer_purchases / nullif(buyer_counts.repeat_buyers, 0)
            as avg_purchases_per_repeat_buyer,
        second_purchases.median_days_to_second_purchase,
        coalesce(buyer_counts.member_buyers, 0) as member_buyers,
        buyer_counts.member_repeat_buyers / nullif(buyer_counts.member_buyers, 0)
            as member_repurchase_rate,
        buyer_counts.member_avg_repurchases,
        buyer_counts.member_revenue / nullif(buyer_counts.member_buyers, 0)
            as avg_revenue_per_member_buyer,
        case
            when buyer_counts.revenue > 0 then buyer_counts.member_revenue / buyer_counts.revenue
        end as member_revenue_share,
        coalesce(buyer_counts.non_member_buyers, 0) as non_member_buyers,
        buyer_counts.non_member_repeat_buyers / nullif(buyer_counts.non_member_buyers, 0)
            as non_member_repurchase_rate,
        buyer_counts.non_member_revenue / nullif(buyer_counts.non_member_buyers, 0)
            as avg_revenue_per_non_member_buyer,
        case when aov_split.new_aov > 0 then aov_split.returning_aov / aov_split.new_aov end
            as returning_vs_new_aov_ratio,
        case
            when buyer_counts.revenue > 0 then top_shares.top_10pct_revenue / buyer_counts.revenue
        end as top_10pct_revenue_share,
        case
            when buyer_counts.revenue > 0 then top_shares.top_20pct_revenue / buyer_counts.revenue
        end as top_20pct_revenue_share,
        (order_rates.partially_refunded_purchases + order_rates.refunded_orders)
            / nullif(order_rates.purchases + order_rates.refunded_orders, 0) as refund_rate,
        order_rates.cancelled_orders / nullif(order_rates.orders, 0) as cancel_rate,
        coalesce(buyer_counts.purchases, 0) as purchases,
        coalesce(buyer_counts.revenue, 0) as revenue,
        windows.window_start,
        windows.as_of as window_end,
    from windows
    left join buyer_counts on windows.window_name = buyer_counts.window_name
    left join matured_rates on windows.window_name = matured_rates.window_name
    left join second_purchases on windows.window_name = second_purchases.window_name
    left join top_shares on windows.window_name = top_shares.window_name
    left join aov_split on windows.window_name = aov_split.window_name
    left join order_rates on windows.window_name = order_rates.window_name
)

select * from final
