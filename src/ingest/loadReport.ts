/**
 * The rows of `raw.load_report`: per source a `load` row (rows_in = rows_loaded +
 * rows_rejected), then one row per check that applies to the table, zero counts included, so
 * the data_quality page can show a check as passed rather than missing. On a check row,
 * rows_rejected counts the rows that check rejected and rows_loaded the rows it flagged but
 * loaded (the counted checks); rows_flagged is their sum. Pure.
 */
import { CONTRACT, type ContractTable } from "./contract.ts";
import { COUNTED_CHECKS } from "./countedChecks.ts";
import type { TableOutcome } from "./loadTable.ts";
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
export function reportRows(
  outcomes: TableOutcome[],
  counted: Map<string, { flagged: number; detail: string }>,
): ReportRow[] {
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
      detail: outcome.absent ? "no file: the table is empty" : outcome.files.join(", "),
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
