-- One row per campaign.
with

source as (
    select * from {{ source('shop', 'campaigns') }}
),

renamed as (
    select
        campaign_id,
        name as campaign_name,
        nullif(trim(channel), '') as channel,
        started_at,
        response_window_days,
        nullif(trim(offer), '') as offer,
        cost_per_contact,
        coupon_cost,
    from source
),

final as (
    select * from renamed
)

select * from final
