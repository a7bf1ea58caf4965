-- One row per dated event: each row of the events seed, in every year from the year of the
-- first purchase to the year of as_of when its `year` is empty, else in its own year; named
-- `<event> <year>`. Events starting after as_of are left out.

with

as_of as (

    select as_of from {{ ref('int_as_of') }}

),

-- typed here too, so an edited seed whose types DuckDB guesses differently still works
events as (

    select
        cast(event as varchar) as event,
        cast(start_month_day as varchar) as start_month_day,
        cast(end_month_day as varchar) as end_month_day,
        cast(year as integer) as year,
    from {{ ref('events') }}

),

purchases as (

    select * from {{ ref('int_purchases') }}

),

data_years as (

    select
        unnest(range(year(min(purchases.order_date)), year(any_value(as_of.as_of)) + 1)) as year,
    from purchases
    cross join as_of

),

event_years as (

    select
        events.event,
        events.start_month_day,
        events.end_month_day,
        coalesce(events.year, data_years.year) as year,
    from events
    left join data_years
        on events.year is null

),

final as (

    select
        event || ' ' || year as event,
        cast(year || '-' || start_month_day as date) as starts_on,
        cast(year || '-' || end_month_day as date) as ends_on,
    from event_years
    cross join as_of
    where year is not null
        and cast(year || '-' || start_month_day as date) <= as_of.as_of

)

select * from final
