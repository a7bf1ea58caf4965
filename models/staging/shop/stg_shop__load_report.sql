-- One row per source table and load check, as the ingest layer reported them.
with

source as (
    select * from {{ source('shop', 'load_report') }}
),

renamed as (
    select
        source as source_table,
        "check" as check_name,
        rows_in,
        rows_loaded,
        rows_rejected,
        rows_flagged,
        detail,
    from source
),

final as (
    select * from renamed
)

select * from final
