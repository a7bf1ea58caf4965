-- One row per (month of int_churn_months, buyer) for every buyer active on the month's first
-- day or buying in the month, with their churn-flow state. A buyer is active on day d when
-- their latest purchase strictly before d is at most churn_days earlier.
with

months as (
    select * from {{ ref('int_churn_months') }}
),

purchases as (
    select * from {{ ref('int_purchases') }}
),

buyers as (
    select * from {{ ref('int_buyers') }}
),

relevant_purchases as (
    -- Purchases that can make a buyer active on the first day (churn_days before it) or that
    -- fall inside the month.
    select
        months.month,
        months.month_end,
        months.next_month,
        months.churn_days,
        purchases.customer_id,
        purchases.order_date,
    from months
    inner join purchases
        on purchases.order_date >= months.month - months.churn_days
        and purchases.order_date < months.next_month
),

buyer_months as (
    select
        month,
        month_end,
        next_month,
        churn_days,
        customer_id,
        max(order_date) filter (where order_date < month) as latest_before_month,
        bool_or(order_date >= month) as has_purchase_in_month,
        -- Active on the next month's first day: a purchase within churn_days before it.
        bool_or(order_date >= next_month - churn_days) as is_active_at_end,
    from relevant_purchases
    group by month, month_end, next_month, churn_days, customer_id
),

flows as (
    select
        buyer_months.month,
        buyer_months.customer_id,
        buyer_months.latest_before_month is not null as is_active_at_start,
        buyer_months.latest_before_month is not null
            and not buyer_months.has_purchase_in_month
            and buyer_months.latest_before_month + buyer_months.churn_days
                <= buyer_months.month_end as is_churned,
        buyers.cohort_month = buyer_months.month as is_new,
        buyer_months.has_purchase_in_month
            and buyer_months.latest_before_month is null
            and buyers.cohort_month < buyer_months.month as is_reactivated,
        buyer_months.is_active_at_end,
        buyers.acquisition_channel,
    from buyer_months
    inner join buyers
        on buyer_months.customer_id = buyers.customer_id
),

revenue_before_month as (
    -- Net revenue over the 365 days before the month's first day (first_day - 365 ..
    -- first_day - 1), for the buyers active at its start.
    select
        flows.month,
        flows.customer_id,
        sum(purchases.net_revenue) as revenue_365d_before,
    from flows
    inner join purchases
        on flows.customer_id = purchases.customer_id
        and purchases.order_date >= flows.month - 365
        and purchases.order_date < flows.month
    where flows.is_active_at_start
    group by flows.month, flows.customer_id
),

final as (
    select
        flows.month,
        flows.customer_id,
        flows.acquisition_channel,
        flows.is_active_at_start,
        flows.is_churned,
        flows.is_new,
        flows.is_reactivated,
        flows.is_active_at_end,
        coalesce(revenue_before_month.revenue_365d_before, 0) as revenue_365d_before,
    from flows
    left join revenue_before_month
        on flows.month = revenue_before_month.month
        and flows.customer_id = revenue_before_month.customer_id
)

select * from final
