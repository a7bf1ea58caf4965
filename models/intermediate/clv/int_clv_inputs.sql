-- One row per (snapshot, buyer): the BTYD sufficient statistics as the data stood at the end
-- of the snapshot day (`as_of` and `clv_calibration`). Purchases on one calendar day merge
-- into one transaction; frequency = distinct purchase days - 1, recency_days = days from the
-- first to the last purchase day, t_days = snapshot day - first purchase day, monetary_value =
-- mean net revenue of the repeat purchase days (0 when frequency = 0). Whole days; the fit
-- divides by 7 for weeks.
-- A view: int_clv_summary reads the as_of snapshot and int_clv_calibration the other, each
-- once, and each snapshot is its own branch of the union below, so only the one read is
-- computed.
{{ config(materialized='view') }}

with

as_of as (
    select * from {{ ref('int_as_of') }}
),

-- as_of: the buyer's purchases in int_purchases, one pass, no grouping by day: a purchase
-- starts a purchase day when its previous one (days_since_prev) is on an earlier day or it has
-- none, and the first day's revenue is the first purchase's plus that of the purchases on the
-- same day after it (days_since_prev 0 on the buyer's first purchase date: a few, joined below).
-- int_purchases is named in each place rather than in one CTE read twice: DuckDB would
-- materialize such a CTE, and a view does not keep a NOT MATERIALIZED hint.
as_of_buyers as (
    select
        'as_of' as snapshot,
        any_value(as_of.as_of) as snapshot_date,
        as_of_purchases.customer_id,
        count(*) filter (
            where as_of_purchases.days_since_prev is null or as_of_purchases.days_since_prev > 0
        ) - 1 as frequency,
        min(as_of_purchases.order_date) as first_purchase_date,
        max(as_of_purchases.order_date) as last_purchase_date,
        sum(as_of_purchases.net_revenue) as revenue,
        sum(as_of_purchases.net_revenue) filter (where as_of_purchases.days_since_prev is null)
            as first_purchase_revenue,
    from {{ ref('int_purchases') }} as as_of_purchases
    cross join as_of
    group by as_of_purchases.customer_id
),

as_of_first_day_others as (
    select
        as_of_purchases.customer_id,
        sum(as_of_purchases.net_revenue) as revenue,
    from {{ ref('int_purchases') }} as as_of_purchases
    inner join {{ ref('int_buyers') }} as buyers
        on buyers.customer_id = as_of_purchases.customer_id
        and buyers.first_purchase_date = as_of_purchases.order_date
    where as_of_purchases.days_since_prev = 0
    group by as_of_purchases.customer_id
),

as_of_per_buyer as (
    select
        as_of_buyers.snapshot,
        as_of_buyers.snapshot_date,
        as_of_buyers.customer_id,
        as_of_buyers.frequency,
        as_of_buyers.first_purchase_date,
        as_of_buyers.last_purchase_date,
        as_of_buyers.revenue,
        as_of_buyers.revenue - as_of_buyers.first_purchase_revenue - coalesce(as_of_first_day_others.revenue, 0)
            as repeat_revenue,
    from as_of_buyers
    left join as_of_first_day_others
        on as_of_first_day_others.customer_id = as_of_buyers.customer_id
),

-- clv_calibration: the purchases as the orders stood then (int_purchase_snapshots is a view:
-- only that snapshot is computed), merged by day
calibration_days as (
    select
        snapshot,
        snapshot_date,
        customer_id,
        order_date,
        sum(net_revenue) as day_revenue,
    from {{ ref('int_purchase_snapshots') }}
    where snapshot = 'clv_calibration'
    group by snapshot, snapshot_date, customer_id, order_date
),

-- the repeat days' revenue is everything but the first day's
calibration_per_buyer as (
    select
        snapshot,
        snapshot_date,
        customer_id,
        count(*) - 1 as frequency,
        min(order_date) as first_purchase_date,
        max(order_date) as last_purchase_date,
        sum(day_revenue) as revenue,
        sum(day_revenue) - arg_min(day_revenue, order_date) as repeat_revenue,
    from calibration_days
    group by snapshot, snapshot_date, customer_id
),

per_buyer as (
    select * from as_of_per_buyer
    union all
    select * from calibration_per_buyer
),

final as (
    select
        snapshot,
        snapshot_date,
        customer_id,
        frequency,
        last_purchase_date - first_purchase_date as recency_days,
        snapshot_date - first_purchase_date as t_days,
        case when frequency > 0 then repeat_revenue / frequency else 0 end as monetary_value,
        first_purchase_date,
        last_purchase_date,
        revenue,
    from per_buyer
)

select * from final
