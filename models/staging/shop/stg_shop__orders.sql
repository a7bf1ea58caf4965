-- One row per order as exported, every status. Amounts the export may leave empty become 0;
-- clamping and the as-of view of refunds belong to int_orders_as_of.
with

source as (
    select * from {{ source('shop', 'orders') }}
),

renamed as (
    select
        order_id,
        nullif(trim(parent_order_id), '') as parent_order_id,
        customer_id,
        ordered_at,
        cast(ordered_at as date) as order_date,
        status,
        nullif(trim(channel), '') as channel,
        gross_amount,
        coalesce(discount_amount, 0) as discount_amount,
        paid_amount,
        coalesce(refunded_amount, 0) as refunded_amount,
        refunded_at,
        nullif(trim(coupon_code), '') as coupon_code,
        nullif(trim(campaign_id), '') as campaign_id,
        _loaded_at,
    from source
),

final as (
    select * from renamed
)

select * from final
