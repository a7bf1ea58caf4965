-- The analysis date, computed once for every model. An order dated D is a purchase as of D
-- when its status is paid or partially_refunded, or when it was fully refunded on a later
-- day (it stood paid at the end of D): the latest such D is the default as_of.
with

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

latest_purchase as (
    select
        max(order_date) as latest_purchase_date,
    from orders
    where status in ('paid', 'partially_refunded')
        or (status = 'refunded' and cast(refunded_at as date) > order_date)
),

resolved as (
    select
        {% if var('as_of') %}
        cast('{{ var("as_of") }}' as date) as as_of,
        {% else %}
        latest_purchase_date as as_of,
        {% endif %}
        latest_purchase_date,
        cast({{ var('churn_days') }} as integer) as churn_days,
    from latest_purchase
),

final as (
    select
        as_of,
        cast(date_trunc('month', as_of) as date) as as_of_month,
        last_day(as_of) = as_of as is_as_of_month_complete,
        -- The last month whose last day is on or before as_of.
        case
            when last_day(as_of) = as_of then cast(date_trunc('month', as_of) as date)
            else cast(date_trunc('month', as_of) - interval 1 month as date)
        end as last_complete_month,
        latest_purchase_date,
        churn_days,
    from resolved
)

select * from final
