-- One row per buyer: the BTYD inputs at as_of for the CLV fits (customer_value), with the
-- buyer's historical revenue and margin for the CLV margin rate.
with

inputs as (
    select * from {{ ref('int_clv_inputs') }}
    where snapshot = 'as_of'
),

buyers as (
    select * from {{ ref('int_buyers') }}
),

final as (
    select
        inputs.customer_id,
        inputs.frequency,
        inputs.recency_days,
        inputs.t_days,
        inputs.monetary_value,
        inputs.first_purchase_date,
        inputs.last_purchase_date,
        inputs.revenue as historical_revenue,
        buyers.gross_margin as historical_margin,
    from inputs
    inner join buyers
        on inputs.customer_id = buyers.customer_id
)

select * from final
