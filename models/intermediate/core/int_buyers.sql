-- One row per buyer (a customer with at least one purchase by as_of), whether or not
-- `customers` knows them: cohort, first and last purchase, totals, the purchase-day facts the
-- BTYD inputs and first-repurchase flags are made of, and the customer's attributes (null for
-- buyers missing from `customers`). The one pass over int_purchases at buyer grain:
-- int_clv_inputs (as_of), int_buyer_first_purchases and int_rfm_segments_assigned (current)
-- read these facts instead of the purchases.
-- Incremental by customer: every value depends on the buyer's own purchases, on as_of only
-- through the 365-day window (the *_last_365_days columns) and on the CRM row through the day the
-- customer was created and became a member, so a nightly run rebuilds the buyers whose
-- history changed (macros/buyers_to_refresh.sql) and keeps everybody else's: int_purchases'
-- rule of this run, plus the buyers the 365-day window's edge and the CRM dates crossed (share).
{{ config(
    materialized='incremental',
    pre_hook="{{ refresh_buyers_hook(this, 'refresh_int_buyers', 'first_purchase_id', windows=[364], crm_dates=true, share=true, before_image='int_buyers') }}"
) }}

with

-- Not materialized: read twice (the totals and the few same-day purchases), each a scan of
-- its own with its filter.
purchases as not materialized (
    select * from {{ ref('int_purchases') }}
    {% if is_incremental() %}
    where customer_id in (select customer_id from refresh_int_buyers)
    {% endif %}
),

customers as (
    select * from {{ ref('int_customers') }}
    {% if is_incremental() %}
    where customer_id in (select customer_id from refresh_int_buyers)
    {% endif %}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

-- A purchase starts a purchase day when its previous one (days_since_prev) is on an earlier
-- day or it has none.
purchases_by_buyer as (
    select
        purchases.customer_id,
        any_value(purchases.purchase_id) filter (where purchases.order_seq = 1) as first_purchase_id,
        min(purchases.ordered_at) as first_purchase_at,
        max(purchases.ordered_at) as last_purchase_at,
        count(*) as purchases,
        sum(purchases.net_revenue) as net_revenue,
        sum(purchases.gross_margin) as gross_margin,
        -- "The 365 days ending as_of" are as_of - 364 .. as_of (customers_summary's is_loyal).
        count(*) filter (where purchases.order_date >= as_of.as_of - 364) as purchases_last_365_days,
        sum(purchases.net_revenue) filter (where purchases.order_date >= as_of.as_of - 364)
            as net_revenue_last_365_days,
        -- purchases made while a member (repurchase_summary's member figures)
        count(*) filter (where purchases.is_member_at_order) as member_purchases,
        sum(purchases.net_revenue) filter (where purchases.is_member_at_order) as member_net_revenue,
        count(*) filter (
            where purchases.is_member_at_order and purchases.order_date >= as_of.as_of - 364
        ) as member_purchases_last_365_days,
        sum(purchases.net_revenue) filter (
            where purchases.is_member_at_order and purchases.order_date >= as_of.as_of - 364
        ) as member_net_revenue_last_365_days,
        count(*) filter (where purchases.days_since_prev is null or purchases.days_since_prev > 0)
            as purchase_days,
        sum(purchases.net_revenue) filter (where purchases.days_since_prev is null)
            as first_purchase_revenue,
        min(purchases.order_date) filter (where purchases.days_since_prev > 0) as next_purchase_date,
        min(purchases.order_date) filter (where purchases.order_seq = 2) as second_purchase_date,
    from purchases
    cross join as_of
    group by purchases.customer_id
),

-- the other purchases of the first purchase day: a purchase with days_since_prev 0 and
-- order_seq n is on it when purchases 2..n all have days_since_prev 0, i.e. when it is the
-- (n - 1)th of the buyer's same-day purchases (a few: the window sorts only them)
first_day_others as (
    select
        customer_id,
        sum(net_revenue) as revenue,
    from (
        select
            customer_id,
            net_revenue,
            order_seq,
            row_number() over (partition by customer_id order by order_seq) as same_day_rank,
        from purchases
        where days_since_prev = 0
    )
    where same_day_rank = order_seq - 1
    group by customer_id
),

loaded as (
    -- The newest load among the tables a buyer row is made of (those of int_purchases).
    select {{ newest_load([
        'stg_shop__orders',
        'stg_shop__order_items',
        'stg_shop__customers',
        'stg_shop__products'
    ]) }} as _loaded_through
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
        cast(purchases_by_buyer.net_revenue as decimal(18, 2)) as net_revenue,
        cast(purchases_by_buyer.gross_margin as decimal(18, 4)) as gross_margin,
        purchases_by_buyer.purchases_last_365_days,
        -- Money is stored as the purchases' own DECIMAL(18, 2) (margins (18, 4)), not the
        -- DECIMAL(38, x) a sum returns: DuckDB reads a 38-digit column back ~100x slower, and
        -- every nightly per-buyer pass reads these. Null sums (no such purchase) are 0.
        cast(coalesce(purchases_by_buyer.net_revenue_last_365_days, 0) as decimal(18, 2)) as net_revenue_last_365_days,
        purchases_by_buyer.member_purchases,
        cast(coalesce(purchases_by_buyer.member_net_revenue, 0) as decimal(18, 2)) as member_net_revenue,
        purchases_by_buyer.member_purchases_last_365_days,
        cast(coalesce(purchases_by_buyer.member_net_revenue_last_365_days, 0) as decimal(18, 2))
            as member_net_revenue_last_365_days,
        customers.customer_id is not null as is_known_customer,
        customers.tier,
        customers.acquisition_channel,
        coalesce(customers.is_member, false) as is_member,
        purchases_by_buyer.first_purchase_id,
        purchases_by_buyer.purchase_days,
        cast(purchases_by_buyer.first_purchase_revenue + coalesce(first_day_others.revenue, 0)
            as decimal(18, 2)) as first_day_revenue,
        purchases_by_buyer.next_purchase_date,
        purchases_by_buyer.second_purchase_date,
        -- Bookkeeping of the incremental build (see macros/buyers_to_refresh.sql).
        (select _loaded_through from loaded) as _loaded_through,
        (select as_of from as_of) as _as_of,
    from purchases_by_buyer
    left join first_day_others
        on purchases_by_buyer.customer_id = first_day_others.customer_id
    left join customers
        on purchases_by_buyer.customer_id = customers.customer_id
)

select * from final
