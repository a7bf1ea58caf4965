-- One row per buyer (a customer with at least one purchase by as_of), whether or not
-- `customers` knows them: cohort, first and last purchase, totals, and the customer's
-- attributes (null for buyers missing from `customers`).
with

purchases as (
    select * from {{ ref('int_purchases') }}
),

customers as (
    select * from {{ ref('int_customers') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

purchases_by_buyer as (
    select
        purchases.customer_id,
        min(purchases.ordered_at) as first_purchase_at,
        max(purchases.ordered_at) as last_purchase_at,
        count(*) as purchases,
        sum(purchases.net_revenue) as net_revenue,
        sum(purchases.gross_margin) as gross_margin,
        -- "The 365 days ending as_of" are as_of - 364 .. as_of (customers_summary's is_loyal).
        count(*) filter (where purchases.order_date >= as_of.as_of - 364) as purchases_last_365_days,
    from purchases
    cross join as_of
    group by purchases.customer_id
),

final as (
    select
        purchases_by_buyer.customer_id,
        purchases_by_buyer.first_purchase_at,
        cast(purchases_by_buyer.first_purchase_at as date) as first_purchase_date,
        cast(date_trunc('month', purchases_by_buyer.first_purchase_at) as date) as cohort_month,
        purchases_by_buyer.last_purchase_at,
        cast(purchases_by_buyer.last_purchase_at as date) as last_purchase_date,
        purchases_by_buyer.purchases,
        purchases_by_buyer.net_revenue,
        purchases_by_buyer.gross_margin,
        purchases_by_buyer.purchases_last_365_days,
        customers.customer_id is not null as is_known_customer,
        customers.tier,
        customers.acquisition_channel,
        coalesce(customers.is_member, false) as is_member,
    from purchases_by_buyer
    left join customers
        on purchases_by_buyer.customer_id = customers.customer_id
)

select * from final
