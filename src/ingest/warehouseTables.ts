/**
 * The tables ingest writes besides `raw.<table>`: `raw.quarantine` (one row per rejected row),
 * `raw.load_report` (one row per source and check, feeding the data_quality mart),
 * `raw.source_freshness`, and `raw.loaded_files` (the register of the files each table was
 * loaded from, which tells a refresh what changed). DDL only; pure.
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

/** Rows a full reload found gone from a table (see mergeSql.ts); kept across runs. */
export const DELETIONS_DDL = `create table if not exists raw.row_deletions (
    source varchar not null,
    rows bigint not null,
    deleted_at timestamp not null
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

/**
 * The last column of every `raw.<table>`: when the row last changed in the warehouse (naive
 * shop time of the load that wrote it). Incremental models select rows loaded after their
 * own watermark.
 */
export const LOADED_AT = "_loaded_at";

export const LOADED_FILES_COLUMNS = [
  "source",
  "file",
  "bytes",
  "sha256",
  "loaded_at",
  "rows_in",
  "rows_loaded",
  "rows_rejected",
  "settings_sha256",
] as const;

/** One row per file a table's rows came from; `settings_sha256` fingerprints how it was read. */
export const LOADED_FILES_DDL = `create or replace table raw.loaded_files (
    source varchar not null,
    file varchar not null,
    bytes bigint not null,
    sha256 varchar not null,
    loaded_at timestamp not null,
    rows_in bigint not null,
    rows_loaded bigint not null,
    rows_rejected bigint not null,
    settings_sha256 varchar not null
)`;

export const QUARANTINE_COLUMNS = ["source", "file", "line", "column", "reason", "value", "detail"] as const;

/** Column list with contract types: `"order_id" VARCHAR, ...`. */
export function typedColumns(table: ContractTable): string {
  return table.columns.map((column) => `${quoteIdent(column.name)} ${SQL_TYPE[column.kind]}`).join(", ");
}

/** An empty `raw.<table>` with every contract column typed, and `_loaded_at` last. */
export function emptyTableDdl(table: ContractTable): string {
  return `create or replace table raw.${quoteIdent(table.name)} (${typedColumns(table)}, ${quoteIdent(LOADED_AT)} TIMESTAMP)`;
}

/** The columns `raw.<table>` has when this loader wrote it: the contract's, then `_loaded_at`. */
export function tableColumns(table: ContractTable): string[] {
  return [...table.columns.map((column) => column.name), LOADED_AT];
}
