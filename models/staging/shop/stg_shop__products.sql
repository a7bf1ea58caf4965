-- One row per product of the catalogue.
with

source as (
    select * from {{ source('shop', 'products') }}
),

renamed as (
    select
        product_id,
        name as product_name,
        nullif(trim(category), '') as category,
        unit_cost,
        launched_at,
        _loaded_at,
    from source
),

final as (
    select * from renamed
)

select * from final
