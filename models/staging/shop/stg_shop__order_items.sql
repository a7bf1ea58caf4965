-- One row per item line of an order.
with

source as (
    select * from {{ source('shop', 'order_items') }}
),

renamed as (
    select
        order_id,
        product_id,
        quantity,
        unit_price,
        unit_cost,
        _loaded_at,
    from source
),

final as (
    select * from renamed
)

select * from final
