-- One row per review of an order.
with

source as (
    select * from {{ source('shop', 'reviews') }}
),

renamed as (
    select
        order_id,
        rating,
        created_at,
        _loaded_at,
    from source
),

final as (
    select * from renamed
)

select * from final
