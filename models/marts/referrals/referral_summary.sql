-- Two rows over all buyers: `referred` (referrer_id non-empty and not the customer itself)
-- and `not_referred` (everyone else, buyers missing from `customers` included).

with

customers as (

    select * from {{ ref('int_customers') }}

),

-- not materialized: the totals read a few columns of every buyer, the referred group looks
-- its buyers up by id
buyers as not materialized (

    select * from {{ ref('int_buyer_first_purchases') }}

),

groups as (

    select unnest(['referred', 'not_referred']) as "group"

),

-- The figures of a group of buyers, as sums that subtract: `not_referred` is all buyers less
-- the referred ones, so only the referred customers (a tenth of them, say) are joined with
-- the buyers, not every buyer with the customers.
all_buyers as (

    select
        count(*) as buyers,
        count(*) filter (where purchases >= 2) as repeat_buyers,
        count(*) filter (where is_matured_180d) as matured_buyers,
        count(*) filter (where is_matured_180d and has_repurchase_180d) as matured_repeat_buyers,
        coalesce(sum(net_revenue), 0) as net_revenue,
    from buyers

),

referred_buyers as (

    select
        count(*) as buyers,
        count(*) filter (where buyers.purchases >= 2) as repeat_buyers,
        count(*) filter (where buyers.is_matured_180d) as matured_buyers,
        count(*) filter (where buyers.is_matured_180d and buyers.has_repurchase_180d) as matured_repeat_buyers,
        coalesce(sum(buyers.net_revenue), 0) as net_revenue,
    from customers
    inner join buyers
        on buyers.customer_id = customers.customer_id
    where trim(customers.referrer_id) <> '' and customers.referrer_id <> customers.customer_id

),

grouped as (

    select 'referred' as "group", * from referred_buyers
    union all
    select
        'not_referred' as "group",
        all_buyers.buyers - referred_buyers.buyers,
        all_buyers.repeat_buyers - referred_buyers.repeat_buyers,
        all_buyers.matured_buyers - referred_buyers.matured_buyers,
        all_buyers.matured_repeat_buyers - referred_buyers.matured_repeat_buyers,
        all_buyers.net_revenue - referred_buyers.net_revenue,
    from all_buyers
    cross join referred_buyers

),

final as (

    select
        groups."group",
        grouped.buyers,
        grouped.repeat_buyers,
        grouped.repeat_buyers / nullif(grouped.buyers, 0) as repurchase_rate,
        grouped.matured_repeat_buyers / nullif(grouped.matured_buyers, 0) as repurchase_rate_180d,
        -- null for a group without buyers, as the average of no rows
        case when grouped.buyers > 0 then grouped.net_revenue / grouped.buyers end as avg_net_revenue_per_buyer,
    from groups
    inner join grouped
        on grouped."group" = groups."group"

)

select * from final
