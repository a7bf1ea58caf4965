-- One row per buyer: the BTYD inputs at as_of for the CLV fits (customer_value), with the
-- buyer's historical revenue and margin for the CLV margin rate. The money as DECIMAL(18, 2)
-- and (18, 4), the types of the purchases it sums: customer_value reads them for every buyer,
-- and a 38-digit decimal is far slower to scan.
-- A cheap pass over the buyer facts int_buyers keeps per customer (through int_clv_inputs):
-- only t_days moves for everybody as as_of does. A view: a table wrote every buyer again each
-- night (some 4 s at 10 million orders), more than clv_model and customer_value spend reading
-- the view's few columns of int_buyers again.
{{ config(materialized='view') }}

with

inputs as (
    select * from {{ ref('int_clv_inputs') }}
    where snapshot = 'as_of'
),

final as (
    select
        customer_id,
        frequency,
        recency_days,
        t_days,
        monetary_value,
        first_purchase_date,
        last_purchase_date,
        cast(revenue as decimal(18, 2)) as historical_revenue,
        cast(gross_margin as decimal(18, 4)) as historical_margin,
    from inputs
)

select * from final
