-- One row per source table and load check, as the ingest layer reported them.
-- raw.load_report is written by the ingest layer itself, not loaded from a shop file, and
-- sources/shop.yml does not declare it: read it by name until it does, then use
-- source('shop', 'load_report') here.
with

source as (
    select * from raw.load_report
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
