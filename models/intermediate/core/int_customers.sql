-- One row per customer of `customers` created by the end of the as_of day, as they stood
-- then: a member_since after as_of is not yet a membership (shown null). No personal data.
-- Buyers missing from `customers` are not here: they appear only through purchases.
-- A view: a filter and two expressions over raw.customers, cheaper to recompute in each reader
-- than to write again.
{{ config(materialized='view') }}

with

customers as (
    select * from {{ ref('stg_shop__customers') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

as_of_applied as (
    select
        customers.customer_id,
        customers.created_at,
        case
            when cast(customers.member_since as date) <= as_of.as_of then customers.member_since
        end as member_since,
        coalesce(cast(customers.member_since as date) <= as_of.as_of, false) as is_member,
        customers.tier,
        customers.acquisition_channel,
        customers.referrer_id,
        customers.city,
        customers.gender,
        customers.birth_year,
    from customers
    cross join as_of
    where cast(customers.created_at as date) <= as_of.as_of
),

final as (
    select * from as_of_applied
)

select * from final
