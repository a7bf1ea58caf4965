-- One row per (source, check): what the load did with every raw table - rows read, loaded
-- and rejected - and what each validation found. Rejected rows are in raw.quarantine with
-- their file, line, column and reason.
with

load_report as (
    select * from {{ ref('stg_shop__load_report') }}
),

final as (
    select
        source_table as source,
        check_name as "check",
        rows_in,
        rows_loaded,
        rows_rejected,
        detail,
        rows_flagged,
        check_name = 'load' as is_load_row,
    from load_report
)

select * from final
