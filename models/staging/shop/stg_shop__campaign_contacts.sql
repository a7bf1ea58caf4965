-- One row per contact (or held-out would-be contact) of a campaign.
with

source as (
    select * from {{ source('shop', 'campaign_contacts') }}
),

renamed as (
    select
        campaign_id,
        customer_id,
        contacted_at,
        "group" as contact_group,
    from source
),

final as (
    select * from renamed
)

select * from final
