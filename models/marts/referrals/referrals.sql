-- One row per distinct non-empty referrer_id among the customers created by as_of: how many
-- customers name it (a customer naming itself is not counted), how many of those bought, and
-- their net revenue up to as_of.

with

customers as (

    select * from {{ ref('int_customers') }}

),

buyers as (

    select * from {{ ref('int_buyer_first_purchases') }}

),

referrers as (

    select distinct referrer_id
    from customers
    where referrer_id is not null and trim(referrer_id) <> ''

),

referred as (

    select
        customers.referrer_id,
        customers.customer_id,
        buyers.customer_id is not null as is_buyer,
        coalesce(buyers.net_revenue, 0) as net_revenue,
    from customers
    left join buyers
        on buyers.customer_id = customers.customer_id
    where customers.referrer_id <> customers.customer_id

),

final as (

    select
        referrers.referrer_id,
        count(referred.customer_id) as referred_customers,
        count(referred.customer_id) filter (where referred.is_buyer) as referred_buyers,
        coalesce(sum(referred.net_revenue), 0) as referred_revenue,
    from referrers
    left join referred
        on referred.referrer_id = referrers.referrer_id
    group by referrers.referrer_id

)

select * from final
