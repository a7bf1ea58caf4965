-- One row per month and acquisition channel of acquisition spend.
with

source as (
    select * from {{ source('shop', 'marketing_spend') }}
),

renamed as (
    select
        cast(date_trunc('month', month) as date) as spend_month,
        nullif(trim(acquisition_channel), '') as acquisition_channel,
        spend,
    from source
),

final as (
    select * from renamed
)

select * from final
