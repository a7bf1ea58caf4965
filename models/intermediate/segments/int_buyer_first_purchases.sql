-- One row per buyer: their first purchase and whether they came back within 180 days of it.
-- Shared by product_roles, satisfaction and referral_summary, which all ask the same
-- "matured first purchase, repurchase within 180 days" question of different groups.

with

as_of as (

    select as_of from {{ ref('int_as_of') }}

),

purchases as (

    select * from {{ ref('int_purchases') }}

),

first_purchases as (

    select
        customer_id,
        purchase_id as first_purchase_id,
        order_date as first_order_date,
    from purchases
    where order_seq = 1

),

buyer_totals as (

    select
        customer_id,
        count(*) as purchases,
        sum(net_revenue) as net_revenue,
    from purchases
    group by customer_id

),

-- another purchase on a later calendar day, at most 180 days after the first purchase day
repurchases_180d as (

    select distinct first_purchases.customer_id
    from first_purchases
    inner join purchases
        on purchases.customer_id = first_purchases.customer_id
        and purchases.order_date > first_purchases.first_order_date
        and purchases.order_date <= first_purchases.first_order_date + 180

),

final as (

    select
        first_purchases.customer_id,
        first_purchases.first_purchase_id,
        first_purchases.first_order_date,
        buyer_totals.purchases,
        buyer_totals.net_revenue,
        first_purchases.first_order_date <= as_of.as_of - 180 as is_matured_180d,
        repurchases_180d.customer_id is not null as has_repurchase_180d,
    from first_purchases
    cross join as_of
    inner join buyer_totals
        on buyer_totals.customer_id = first_purchases.customer_id
    left join repurchases_180d
        on repurchases_180d.customer_id = first_purchases.customer_id

)

select * from final
