/**
 * A table's load figures as the warehouse holds them, cumulative over every file it was loaded
 * from: rows in, loaded and rejected from raw.loaded_files, rejects by reason from
 * raw.quarantine, superseded rows as the loaded rows no longer in the table. Deriving them from
 * what is stored, not from what this run read, is what makes a table loaded one file per run
 * report exactly what loading all its files at once reports.
 */
import type { Adapter } from "../engine/adapters/adapter.ts";
import { quoteIdent } from "../engine/adapters/adapter.ts";

export interface TableFigures {
  files: string[];
  rowsIn: number;
  rowsLoaded: number;
  /** Rejected rows by reason. */
  rejected: Record<string, number>;
  /** Loaded rows a later file's version replaced. */
  superseded: number;
  /** Rows in raw.<table>: rowsLoaded - superseded. */
  rows: number;
}

/** The figures of `raw.<table>` from the register, the quarantine and the table itself. */
export async function tableFigures(adapter: Adapter, table: string): Promise<TableFigures> {
  const { rows } = await adapter.query(
    `select coalesce(sum(rows_in), 0) as rows_in, coalesce(sum(rows_loaded), 0) as rows_loaded,
        (select count(*) from raw.${quoteIdent(table)}) as rows
    from raw.loaded_files where source = $table`,
    { table },
  );
  const row = rows[0]!;
  const files = await adapter.query("select file from raw.loaded_files where source = $table order by file", {
    table,
  });
  const reasons = await adapter.query(
    "select reason, count(*) as n from raw.quarantine where source = $table group by reason",
    { table },
  );
  const rejected: Record<string, number> = {};
  for (const one of reasons.rows) rejected[String(one.reason)] = Number(one.n);
  const rowsLoaded = Number(row.rows_loaded);
  return {
    files: files.rows.map((one) => String(one.file)),
    rowsIn: Number(row.rows_in),
    rowsLoaded,
    rejected,
    superseded: rowsLoaded - Number(row.rows),
    rows: Number(row.rows),
  };
}
