/**
 * The tables ingest writes besides `raw.<table>`: `raw.quarantine` (one row per rejected row),
 * `raw.load_report` (one row per source and check, feeding the data_quality mart) and
 * `raw.source_freshness`. DDL only; pure.
 */
import { quoteIdent } from "../engine/adapters/adapter.ts";
import { type ContractTable, SQL_TYPE } from "./contract.ts";

export const QUARANTINE_DDL = `create or replace table raw.quarantine (
    source varchar not null,
    file varchar,
    line bigint,
    "column" varchar,
    reason varchar not null,
    value varchar,
    detail varchar
)`;

export const LOAD_REPORT_DDL = `create or replace table raw.load_report (
    source varchar not null,
    "check" varchar not null,
    rows_in bigint not null,
    rows_loaded bigint not null,
    rows_rejected bigint not null,
    rows_flagged bigint not null,
    detail varchar
)`;

export const FRESHNESS_DDL = `create or replace table raw.source_freshness (
    source varchar not null,
    loaded_at_field varchar not null,
    max_loaded_at timestamp,
    checked_at timestamp not null,
    age_hours double,
    warn_after_hours double,
    error_after_hours double,
    status varchar not null
)`;

/** Column list with contract types: `"order_id" VARCHAR, ...`. */
export function typedColumns(table: ContractTable): string {
  return table.columns.map((column) => `${quoteIdent(column.name)} ${SQL_TYPE[column.kind]}`).join(", ");
}

/** An empty `raw.<table>` with every contract column typed. */
export function emptyTableDdl(table: ContractTable): string {
  return `create or replace table raw.${quoteIdent(table.name)} (${typedColumns(table)})`;
}
