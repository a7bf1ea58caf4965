-- One row per distinct non-empty referrer_id among the customers created by as_of: how many
-- customers name it (a customer naming itself is not counted), how many of those bought, and
-- their net revenue up to as_of.
-- One grouped scan of customers_summary, which holds every customer created by as_of with
-- their referrer, whether they bought and their net revenue (narrow, 0 for fans): no join of
-- the customers with the buyers of its own.

with

customers as (

    select * from {{ ref('customers_summary') }}

),

-- a referrer named only by itself is listed too, with nobody referred
final as (

    select
        referrer_id,
        count(*) filter (where referrer_id <> customer_id) as referred_customers,
        count(*) filter (where referrer_id <> customer_id and is_buyer) as referred_buyers,
        coalesce(sum(net_revenue) filter (where referrer_id <> customer_id), 0) as referred_revenue,
    from customers
    where referrer_id is not null and trim(referrer_id) <> ''
    group by referrer_id

)

select * from final
