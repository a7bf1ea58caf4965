-- One row per (event, buyer_type): the event's buyers split into `new` (first purchase inside
-- the event) and `returning` (first purchase before it), their net revenue and AOV inside the
-- event, and the share who bought again in the 90 days after its last day.

with

as_of as (

    select as_of from {{ ref('int_as_of') }}

),

events as (

    select * from {{ ref('int_events_dated') }}

),

purchases as (

    select * from {{ ref('int_purchases') }}

),

buyer_types as (

    select unnest(['new', 'returning']) as buyer_type

),

first_purchase_dates as (

    select
        customer_id,
        min(order_date) as first_order_date,
    from purchases
    group by customer_id

),

event_buyers as (

    select
        events.event,
        purchases.customer_id,
        case when first_purchase_dates.first_order_date >= events.starts_on then 'new' else 'returning' end as buyer_type,
        count(*) as purchases,
        sum(purchases.net_revenue) as revenue,
    from events
    inner join purchases
        on purchases.order_date between events.starts_on and events.ends_on
    inner join first_purchase_dates
        on first_purchase_dates.customer_id = purchases.customer_id
    group by events.event, purchases.customer_id, first_purchase_dates.first_order_date, events.starts_on

),

-- a purchase in the 90 days after the event's last day: (ends_on, ends_on + 90]
after_event_buyers as (

    select distinct
        events.event,
        purchases.customer_id,
    from events
    inner join purchases
        on purchases.order_date > events.ends_on
        and purchases.order_date <= events.ends_on + 90

),

final as (

    select
        events.event,
        events.starts_on,
        events.ends_on,
        buyer_types.buyer_type,
        count(event_buyers.customer_id) as buyers,
        coalesce(sum(event_buyers.revenue), 0) as revenue,
        sum(event_buyers.revenue) / nullif(sum(event_buyers.purchases), 0) as aov,
        case
            when events.ends_on + 90 <= as_of.as_of
                then count(after_event_buyers.customer_id) / nullif(count(event_buyers.customer_id), 0)
        end as repurchase_90d,
        events.ends_on + 90 <= as_of.as_of as is_complete,
    from events
    cross join buyer_types
    cross join as_of
    left join event_buyers
        on event_buyers.event = events.event
        and event_buyers.buyer_type = buyer_types.buyer_type
    left join after_event_buyers
        on after_event_buyers.event = event_buyers.event
        and after_event_buyers.customer_id = event_buyers.customer_id
    group by events.event, events.starts_on, events.ends_on, buyer_types.buyer_type, as_of.as_of

)

select * from final
