-- Two rows over all buyers: `referred` (referrer_id non-empty and not the customer itself)
-- and `not_referred` (everyone else, buyers missing from `customers` included).

with

customers as (

    select * from {{ ref('int_customers') }}

),

buyers as (

    select * from {{ ref('int_buyer_first_purchases') }}

),

groups as (

    select unnest(['referred', 'not_referred']) as "group"

),

grouped_buyers as (

    select
        case
            when trim(customers.referrer_id) <> '' and customers.referrer_id <> buyers.customer_id
                then 'referred'
            else 'not_referred'
        end as "group",
        buyers.*,
    from buyers
    left join customers
        on customers.customer_id = buyers.customer_id

),

final as (

    select
        groups."group",
        count(grouped_buyers.customer_id) as buyers,
        count(grouped_buyers.customer_id) filter (where grouped_buyers.purchases >= 2) as repeat_buyers,
        count(grouped_buyers.customer_id) filter (where grouped_buyers.purchases >= 2)
            / nullif(count(grouped_buyers.customer_id), 0) as repurchase_rate,
        count(grouped_buyers.customer_id) filter (where grouped_buyers.is_matured_180d and grouped_buyers.has_repurchase_180d)
            / nullif(count(grouped_buyers.customer_id) filter (where grouped_buyers.is_matured_180d), 0)
            as repurchase_rate_180d,
        sum(grouped_buyers.net_revenue) / nullif(count(grouped_buyers.customer_id), 0) as avg_net_revenue_per_buyer,
    from groups
    left join grouped_buyers
        on grouped_buyers."group" = groups."group"
    group by groups."group"

)

select * from final
