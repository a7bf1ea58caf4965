-- One row per window - `all_time` and `t12m` (the 365 days ending as_of, as_of - 364 ..
-- as_of): how many buyers come back, how fast, members against non-members, how
-- concentrated revenue is, and how often orders are refunded or cancelled.
--
-- The buyer figures of both windows come from int_buyers (one row per buyer, with its
-- first, next and second purchase dates and its all-time and last-365-days totals), so the
-- 8.7M purchases of a big shop are not rescanned every night. One pass over the orders gives
-- the refund and cancel counts.
with

orders as not materialized (
    select * from {{ ref('int_orders_as_of') }}
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

-- one row per buyer: the first purchase day, the first later purchase day, the second
-- purchase, and the purchases, revenue and member purchases of both windows (non-member ones
-- are the rest), read from int_buyers (incremental: a nightly run does not rescan the
-- purchases). Its sums are DECIMAL(38, 2), as sums of int_purchases' net_revenue are.
buyer_totals as (
    select
        customer_id,
        first_purchase_date,
        next_purchase_date,
        second_purchase_date,
        purchases as all_time_purchases,
        net_revenue as all_time_revenue,
        member_purchases as all_time_member_purchases,
        member_net_revenue as all_time_member_revenue,
        purchases_last_365_days as t12m_purchases,
        net_revenue_last_365_days as t12m_revenue,
        member_purchases_last_365_days as t12m_member_purchases,
        member_net_revenue_last_365_days as t12m_member_revenue,
    from {{ ref('int_buyers') }}
),

-- one row per (window, buyer with a purchase in it)
window_buyers as materialized (
    {% for window in ['all_time', 't12m'] %}
    {% if not loop.first %}union all{% endif %}
    select
        windows.window_name,
        windows.window_start,
        windows.as_of,
        buyer_totals.customer_id,
        buyer_totals.first_purchase_date,
        buyer_totals.next_purchase_date,
        buyer_totals.second_purchase_date,
        -- the second purchase's days_since_prev
        buyer_totals.second_purchase_date - buyer_totals.first_purchase_date as days_to_second_purchase,
        buyer_totals.{{ window }}_purchases as purchases,
        buyer_totals.{{ window }}_revenue as revenue,
        buyer_totals.{{ window }}_member_purchases as member_purchases,
        coalesce(buyer_totals.{{ window }}_member_revenue, 0) as member_revenue,
        buyer_totals.{{ window }}_purchases - buyer_totals.{{ window }}_member_purchases as non_member_purchases,
        buyer_totals.{{ window }}_revenue - coalesce(buyer_totals.{{ window }}_member_revenue, 0)
            as non_member_revenue,
    from buyer_totals
    inner join windows
        on windows.window_name = '{{ window }}'
    where buyer_totals.{{ window }}_purchases > 0
    {% endfor %}
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
        -- the window's purchases by buyers whose first purchase is before it, and by the rest
        sum(revenue) filter (where first_purchase_date < window_start)
            / cast(sum(purchases) filter (where first_purchase_date < window_start) as bigint) as returning_aov,
        sum(revenue) filter (where not first_purchase_date < window_start)
            / nullif(cast(sum(purchases) filter (where not first_purchase_date < window_start) as bigint), 0)
            as new_aov,
    from window_buyers
    group by window_name
),

-- the top ceil(N% x buyers) buyers' revenue is the sum of the largest revenues, whichever
-- buyers tie: counted from the distinct revenues, largest first (integer arithmetic, so 10%
-- of 30 is exactly 3)
revenue_values as (
    select
        window_name,
        revenue,
        count(*) as buyers,
    from window_buyers
    group by window_name, revenue
),

revenue_ranks as (
    select
        revenue_values.window_name,
        revenue_values.revenue,
        revenue_values.buyers,
        coalesce(
            sum(revenue_values.buyers) over (
                partition by revenue_values.window_name
                order by revenue_values.revenue desc
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as buyers_above,
    from revenue_values
),

top_shares as (
    select
        revenue_ranks.window_name,
        {% for percent in [10, 20] %}
        -- a buyer's revenue as DECIMAL(18, 2) and the count as INTEGER: the product stays an
        -- exact decimal
        sum(
            cast(revenue_ranks.revenue as decimal(18, 2)) * cast(
                least(
                    revenue_ranks.buyers,
                    (buyer_counts.buyers * {{ percent }} + 99) // 100 - revenue_ranks.buyers_above
                ) as integer
            )
        ) filter (
            where revenue_ranks.buyers_above < (buyer_counts.buyers * {{ percent }} + 99) // 100
        ) as top_{{ percent }}pct_revenue,
        {% endfor %}
    from revenue_ranks
    inner join buyer_counts
        on revenue_ranks.window_name = buyer_counts.window_name
    group by revenue_ranks.window_name
),

matured_rates as (
    -- Of the buyers whose first purchase lies in the window and at least N days before
    -- as_of, the share with another purchase on a later day at most N days after it.
    select
        window_name,
        {% for days in [90, 180, 365] %}
        count(*) filter (
            where first_purchase_date <= as_of - {{ days }}
                and next_purchase_date - first_purchase_date <= {{ days }}
        ) / nullif(
            count(*) filter (where first_purchase_date <= as_of - {{ days }}),
            0
        ) as repurchase_rate_{{ days }}d,
        {% endfor %}
    from window_buyers
    where window_start is null or first_purchase_date >= window_start
    group by window_name
),

second_purchases as (
    select
        window_name,
        median(days_to_second_purchase) as median_days_to_second_purchase,
    from window_buyers
    where window_start is null or second_purchase_date >= window_start
    group by window_name
),

-- the purchase ids that several orders share (split orders): only these need a distinct count
shared_purchase_ids as (
    select distinct parent_order_id as purchase_id
    from orders
    where parent_order_id is not null
),

order_flags as (
    select
        orders.purchase_id,
        orders.order_date,
        orders.is_purchase,
        orders.status,
        shared_purchase_ids.purchase_id is not null as is_shared,
    from orders
    left join shared_purchase_ids
        on orders.purchase_id = shared_purchase_ids.purchase_id
),

-- both windows' counts in one pass over the orders (the all_time and t12m columns): grouped
-- by split purchase first (every unsplit order falls in the one null group), so a split
-- purchase counts once when any of its orders does; one group-by instead of a distinct count
-- per measure
order_groups as (
    select
        order_flags.is_shared,
        {% for window, condition in [['all_time', 'true'], ['t12m', 'order_flags.order_date >= as_of.as_of - 364']] %}
        count(*) filter (where {{ condition }} and order_flags.is_purchase) as {{ window }}_purchases,
        count(*) filter (
            where {{ condition }} and order_flags.is_purchase and order_flags.status = 'partially_refunded'
        ) as {{ window }}_partially_refunded_purchases,
        count(*) filter (where {{ condition }} and order_flags.status = 'refunded') as {{ window }}_refunded_orders,
        count(*) filter (where {{ condition }} and order_flags.status = 'cancelled') as {{ window }}_cancelled_orders,
        count(*) filter (where {{ condition }}) as {{ window }}_orders,
        {% endfor %}
    from order_flags
    cross join as_of
    group by case when order_flags.is_shared then order_flags.purchase_id end, order_flags.is_shared
),

-- the unsplit orders' counts as they are, a split purchase once; counts back to BIGINT
order_counts as (
    select
        {% for window in ['all_time', 't12m'] %}
        {% for measure in ['purchases', 'partially_refunded_purchases'] %}
        cast(
            coalesce(sum({{ window }}_{{ measure }}) filter (where not is_shared), 0)
                + count(*) filter (where is_shared and {{ window }}_{{ measure }} > 0)
            as bigint
        ) as {{ window }}_{{ measure }},
        {% endfor %}
        {% for measure in ['refunded_orders', 'cancelled_orders', 'orders'] %}
        cast(coalesce(sum({{ window }}_{{ measure }}), 0) as bigint) as {{ window }}_{{ measure }},
        {% endfor %}
        {% endfor %}
    from order_groups
),

order_rates as (
    -- A purchase counts as refunded when any of its orders stood partially refunded at as_of;
    -- fully refunded orders are counted on their own (they are not purchases).
    {% for window in ['all_time', 't12m'] %}
    {% if not loop.first %}union all{% endif %}
    select
        '{{ window }}' as window_name,
        {{ window }}_purchases as purchases,
        {{ window }}_partially_refunded_purchases as partially_refunded_purchases,
        {{ window }}_refunded_orders as refunded_orders,
        {{ window }}_cancelled_orders as cancelled_orders,
        {{ window }}_orders as orders,
    from order_counts
    {% endfor %}
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
        case
            when windows.window_start is not null and buyer_counts.new_aov > 0
                then buyer_counts.returning_aov / buyer_counts.new_aov
        end as returning_vs_new_aov_ratio,
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
    left join order_rates on windows.window_name = order_rates.window_name
)

select * from final
