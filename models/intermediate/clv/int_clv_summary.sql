-- One row per buyer: the BTYD inputs at as_of for the CLV fits (customer_value), with the
-- buyer's historical revenue and margin for the CLV margin rate. The money as DECIMAL(18, 2)
-- and (18, 4), the types of the purchases it sums: customer_value reads them for every buyer,
-- and a 38-digit decimal is far slower to scan.
with

inputs as (
    select * from {{ ref('int_clv_inputs') }}
    where snapshot = 'as_of'
),

buyers as (
    select
        customer_id,
        gross_margin,
    from {{ ref('int_buyers') }}
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
        cast(inputs.revenue as decimal(18, 2)) as historical_revenue,
        cast(buyers.gross_margin as decimal(18, 4)) as historical_margin,
    from inputs
    inner join buyers
        on inputs.customer_id = buyers.customer_id
)

select * from final
