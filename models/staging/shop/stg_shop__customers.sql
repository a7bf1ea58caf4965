-- One row per customer of the CRM export. Names and phones stop here: nothing downstream
-- may see them, hashed or not.
with

source as (
    select * from {{ source('shop', 'customers') }}
),

renamed as (
    select
        customer_id,
        created_at,
        member_since,
        nullif(trim(tier), '') as tier,
        nullif(trim(acquisition_channel), '') as acquisition_channel,
        nullif(trim(referrer_id), '') as referrer_id,
        nullif(trim(city), '') as city,
        nullif(trim(gender), '') as gender,
        birth_year,
        _loaded_at,
    from source
),

final as (
    select * from renamed
)

select * from final
