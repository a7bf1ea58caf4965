/**
 * The rows of `raw.load_report`: per source a `load` row (rows_in = rows_loaded +
 * rows_rejected), then one row per check that applies to the table, zero counts included, so
 * the data_quality page can show a check as passed rather than missing. On a check row,
 * rows_rejected counts the rows that check rejected and rows_loaded the rows it flagged but
 * loaded (the counted checks); rows_flagged is their sum. Append tables add
 * `superseded_by_later_file`: rows loaded and later replaced by a later file's version of
 * their key, counted in the load row's rows_loaded (raw.<table> holds rows_loaded minus them),
 * never rejected, so rows_in = rows_loaded + rows_rejected holds. Pure.
 */
import { CONTRACT, type ContractTable } from "./contract.ts";
import { COUNTED_CHECKS } from "./countedChecks.ts";
import { SUPERSEDED } from "./mergeSql.ts";
import type { TableOutcome } from "./refreshTable.ts";
import { rowChecks } from "./stageSql.ts";

export interface ReportRow {
  source: string;
  check: string;
  rowsIn: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsFlagged: number;
  detail: string | null;
}

/** A counted check's result: rows flagged, and what they mean. */
export interface Counted {
  flagged: number;
  detail: string;
}

/** The checks that can reject rows of `table`, in report order. Pure. */
export function rejectingChecks(table: ContractTable): string[] {
  const reasons = new Set(rowChecks(table, "2000-01-01 00:00:00").map((check) => check.reason));
  reasons.add("duplicate_row");
  if (table.key) reasons.add("duplicate_key");
  if (table.name === "order_items") reasons.add("orphan_order_item");
  reasons.add("malformed_row");
  return [...reasons];
}

/** Report rows for the loaded tables; `counted` holds the counted checks by `source.check`. */
export function reportRows(outcomes: TableOutcome[], counted: Map<string, Counted>): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const outcome of outcomes) {
    const table = CONTRACT.find((one) => one.name === outcome.table)!;
    const rejectedTotal = outcome.rowsIn - outcome.rowsLoaded;
    rows.push({
      source: outcome.table,
      check: "load",
      rowsIn: outcome.rowsIn,
      rowsLoaded: outcome.rowsLoaded,
      rowsRejected: rejectedTotal,
      rowsFlagged: rejectedTotal,
      detail: outcome.absent ? "no file: the table is empty" : fileList(outcome.files),
    });
    for (const check of rejectingChecks(table)) {
      const rejected = outcome.rejected[check] ?? 0;
      rows.push({
        source: outcome.table,
        check,
        rowsIn: outcome.rowsIn,
        rowsLoaded: 0,
        rowsRejected: rejected,
        rowsFlagged: rejected,
        detail: null,
      });
    }
    if (outcome.append) {
      rows.push({
        source: outcome.table,
        check: SUPERSEDED,
        rowsIn: outcome.rowsIn,
        rowsLoaded: outcome.superseded,
        rowsRejected: 0,
        rowsFlagged: outcome.superseded,
        detail:
          outcome.superseded > 0
            ? `rows replaced by a later file's row with the same ${table.key ? table.key.join(", ") : "values"} (loaded, not rejected; raw.${outcome.table} keeps the latest)`
            : null,
      });
    }
    for (const group of COUNTED_CHECKS.filter((one) => one.source === outcome.table)) {
      for (const check of group.checks) {
        const result = counted.get(`${group.source}.${check}`) ?? { flagged: 0, detail: "" };
        rows.push({
          source: outcome.table,
          check,
          rowsIn: outcome.rowsIn,
          rowsLoaded: result.flagged,
          rowsRejected: 0,
          rowsFlagged: result.flagged,
          detail: result.flagged > 0 ? result.detail : null,
        });
      }
    }
  }
  return rows;
}

/** The files of a table for a report line: all of a few, the first and last of many. Pure. */
export function fileList(files: string[]): string {
  if (files.length <= 4) return files.join(", ");
  return `${files.length} files: ${files[0]} ... ${files[files.length - 1]}`;
}
