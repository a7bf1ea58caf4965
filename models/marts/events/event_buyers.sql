-- One row per (event, buyer_type): the event's buyers split into `new` (first purchase inside
-- the event) and `returning` (first purchase before it), their net revenue and AOV inside the
-- event, and the share who bought again in the 90 days after its last day.
--
-- No grouping by buyer: int_purchases' days_since_prev gives each purchase the day of the
-- buyer's previous one, so a buyer's first purchase in the event is the one whose previous
-- purchase is before the event (or that has none), and a buyer came back after the event
-- when their first purchase after it follows one inside the event.
-- No join with the buyers either: the buyer of a first purchase in the event is `new` when
-- that purchase has no previous one (it is their first purchase ever), `returning` when it
-- has; the buyer's other rows (later purchases in the event, the return after it) take the
-- type of that row, a join of the few event rows with each other.

with

as_of as (

    select as_of from {{ ref('int_as_of') }}

),

events as (

    select * from {{ ref('int_events_dated') }}

),

purchases as not materialized (

    select
        customer_id,
        order_date,
        net_revenue,
        order_date - cast(days_since_prev as integer) as previous_purchase_date,
    from {{ ref('int_purchases') }}

),

buyer_types as (

    select unnest(['new', 'returning']) as buyer_type

),

-- every day of every event: purchases find their event by equality on the day, a hash join
-- on a few hundred rows instead of a range join over all purchases
event_days as (

    select
        events.event,
        events.starts_on,
        events.ends_on,
        cast(unnest(generate_series(
            cast(events.starts_on as timestamp),
            cast(events.ends_on as timestamp),
            interval 1 day
        )) as date) as day,
    from events

),

-- the purchases the measures read: every purchase inside an event, and each event buyer's
-- first purchase in the 90 days after it (its previous purchase is inside the event)
event_purchases as materialized (

    select
        event_days.event,
        event_days.starts_on,
        purchases.customer_id,
        purchases.net_revenue,
        true as is_in_event,
        coalesce(purchases.previous_purchase_date < event_days.starts_on, true) as is_first_in_event,
        purchases.previous_purchase_date is null as is_first_ever,
    from purchases
    inner join event_days
        on purchases.order_date = event_days.day
    union all
    select
        event_days.event,
        event_days.starts_on,
        purchases.customer_id,
        purchases.net_revenue,
        false as is_in_event,
        false as is_first_in_event,
        false as is_first_ever,
    from purchases
    inner join event_days
        on purchases.previous_purchase_date = event_days.day
    where purchases.order_date > event_days.ends_on
        and purchases.order_date <= event_days.ends_on + 90

),

-- one row per (event, buyer): the buyer's first purchase in the event, which types the buyer
-- (not materialized: a filter of event_purchases, read twice)
first_in_event as not materialized (

    select
        *,
        case when is_first_ever then 'new' else 'returning' end as buyer_type,
    from event_purchases
    where is_first_in_event

),

typed_purchases as (

    select * from first_in_event
    union all
    select
        event_purchases.*,
        first_in_event.buyer_type,
    from event_purchases
    inner join first_in_event
        on first_in_event.event = event_purchases.event
        and first_in_event.customer_id = event_purchases.customer_id
    where not event_purchases.is_first_in_event

),

event_totals as (

    select
        event,
        buyer_type,
        count(*) filter (where is_first_in_event) as buyers,
        count(*) filter (where is_in_event) as purchases,
        sum(net_revenue) filter (where is_in_event) as revenue,
        count(*) filter (where not is_in_event) as returned_buyers,
    from typed_purchases
    group by event, buyer_type

),

final as (

    select
        events.event,
        events.starts_on,
        events.ends_on,
        buyer_types.buyer_type,
        coalesce(event_totals.buyers, 0) as buyers,
        coalesce(event_totals.revenue, 0) as revenue,
        event_totals.revenue / nullif(event_totals.purchases, 0) as aov,
        case
            when events.ends_on + 90 <= as_of.as_of
                then coalesce(event_totals.returned_buyers, 0) / nullif(coalesce(event_totals.buyers, 0), 0)
        end as repurchase_90d,
        events.ends_on + 90 <= as_of.as_of as is_complete,
    from events
    cross join buyer_types
    cross join as_of
    left join event_totals
        on event_totals.event = events.event
        and event_totals.buyer_type = buyer_types.buyer_type

)

select * from final
