-- One row per buyer: their first purchase and whether they came back within 180 days of it.
-- Shared by product_roles, satisfaction and referral_summary, which all ask the same
-- "matured first purchase, repurchase within 180 days" question of different groups.
-- A view over the buyer facts int_buyers keeps per customer (first purchase, the first later
-- purchase day): only is_matured_180d moves with as_of, and a table would write every buyer
-- again each night for its readers to scan once; each reader's columns are read from
-- int_buyers alone (DuckDB prunes the rest through the view).
-- net_revenue is DECIMAL(18, 2), the type of the money it sums: the readers sum it again,
-- and a 38-digit decimal is far slower to sum.
{{ config(materialized='view') }}

with

as_of as (

    select as_of from {{ ref('int_as_of') }}

),

buyers as (

    select * from {{ ref('int_buyers') }}

),

final as (

    select
        buyers.customer_id,
        buyers.first_purchase_id,
        buyers.first_purchase_date as first_order_date,
        buyers.purchases,
        cast(buyers.net_revenue as decimal(18, 2)) as net_revenue,
        buyers.first_purchase_date <= as_of.as_of - 180 as is_matured_180d,
        -- another purchase on a later calendar day, at most 180 days after the first purchase day
        coalesce(buyers.next_purchase_date <= buyers.first_purchase_date + 180, false)
            as has_repurchase_180d,
    from buyers
    cross join as_of

)

select * from final
