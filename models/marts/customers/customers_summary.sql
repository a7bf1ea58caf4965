-- One row per customer of `customers` created by as_of: their purchases, value, activity and
-- lifecycle stage at as_of. Buyers missing from `customers` are not here (see customer_orders).
-- Rebuilt every night (days_since_last_purchase, is_active and the stage move with as_of) as
-- one join of the customers with int_buyers' per-buyer facts. Money is stored as
-- DECIMAL(18, 2) and (18, 4), the types of the purchases summed: a 38-digit decimal column
-- is some ten times slower to read back (this table's tests and the pages read it).
with

customers as (
    select * from {{ ref('int_customers') }}
),

buyers as (
    select * from {{ ref('int_buyers') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

advocates as (
    -- A buyer who referred at least one other customer who is a buyer; referring oneself
    -- does not count.
    select distinct
        customers.referrer_id as customer_id,
    from customers
    inner join buyers
        on customers.customer_id = buyers.customer_id
    where customers.referrer_id is not null
        and customers.referrer_id <> customers.customer_id
),

summarized as (
    select
        customers.customer_id,
        customers.created_at,
        customers.member_since,
        customers.is_member,
        customers.tier,
        customers.acquisition_channel,
        customers.referrer_id,
        purchases_by_customer.first_purchase_at,
        purchases_by_customer.last_purchase_at,
        cast(date_trunc('month', purchases_by_customer.first_purchase_at) as date) as cohort_month,
        coalesce(purchases_by_customer.purchases, 0) as purchases,
        cast(coalesce(purchases_by_customer.net_revenue, 0) as decimal(18, 2)) as net_revenue,
        cast(coalesce(purchases_by_customer.gross_margin, 0) as decimal(18, 4)) as gross_margin,
        as_of.as_of - cast(purchases_by_customer.last_purchase_at as date) as days_since_last_purchase,
        purchases_by_customer.customer_id is not null as is_buyer,
        coalesce(purchases_by_customer.purchases, 0) >= 2 as is_repeat,
        coalesce(
            as_of.as_of - cast(purchases_by_customer.last_purchase_at as date) <= as_of.churn_days,
            false
        ) as is_active,
        customers.is_member
            and coalesce(purchases_by_customer.purchases_last_365_days, 0)
                >= {{ var('loyal_min_purchases') }} as is_loyal,
        purchases_by_customer.customer_id is not null
            and advocates.customer_id is not null as is_advocate,
    from customers
    cross join as_of
    left join buyers as purchases_by_customer
        on customers.customer_id = purchases_by_customer.customer_id
    left join advocates
        on customers.customer_id = advocates.customer_id
),

staged as (
    select
        *,
        -- The highest stage whose own condition holds.
        case
            when is_advocate then 'advocate'
            when is_loyal then 'loyal'
            when is_buyer and is_member then 'member'
            when is_repeat then 'repeat_buyer'
            when is_buyer then 'one_time_buyer'
            else 'fan'
        end as lifecycle_stage,
    from summarized
),

final as (
    select
        customer_id,
        created_at,
        member_since,
        is_member,
        tier,
        acquisition_channel,
        referrer_id,
        first_purchase_at,
        last_purchase_at,
        cohort_month,
        purchases,
        net_revenue,
        gross_margin,
        days_since_last_purchase,
        is_buyer,
        is_repeat,
        is_active,
        is_loyal,
        is_advocate,
        lifecycle_stage,
    from staged
)

select * from final
