/**
 * Loads files of one source table: parses and validates every row in SQL straight into the
 * target (`raw.<table>`, or a delta table a refresh merges) with three helper columns (file,
 * line, problem), marks duplicates (and orphan order items, and in append mode the rows a
 * later file supersedes), copies the rejected rows with file, line, column and reason into
 * `raw.quarantine`, then deletes rejected and superseded rows and drops the helpers. Writing
 * the data once, not staging and copying it, is what keeps validation within twice a plain
 * read. Nothing is dropped without a quarantine row or a count: per file, rows_in =
 * rows_loaded + rows_rejected, superseded rows counted as loaded. A keyed replace-mode table
 * also keeps its rows' fingerprints, and its next reload of one file can go by its changes:
 * only rows the fingerprints do not know are parsed and staged (reuseSql.ts).
 */
import { rm } from "node:fs/promises";
import type { Adapter } from "../engine/adapters/adapter.ts";
import { quoteIdent, quoteLiteral } from "../engine/adapters/adapter.ts";
import { errors, HuitouError, HuitouErrors, type Location } from "../errors.ts";
import type { SourceTable } from "./api.ts";
import type { ContractTable } from "./contract.ts";
import { dedupeSql } from "./dedupeSql.ts";
import { assignLines } from "./lineNumbers.ts";
import { mapColumns } from "./mapColumns.ts";
import { SUPERSEDED, supersedeSql } from "./mergeSql.ts";
import type { PiiKey } from "./pii.ts";
import { type PreparedFile, prepareFile } from "./prepareFile.ts";
import type { DataFile } from "./resolveFiles.ts";
import { deltaStageSql, fingerprintPassSql, fingerprintSql, unknownRowsSql } from "./reuseSql.ts";
import { stageSql } from "./stageSql.ts";

export interface LoadContext {
  adapter: Adapter;
  /** The folder relative paths are looked up in: the data dir, else the project. */
  base: string;
  tempDir: string;
  timezone: string;
  /** The load time in naive shop time, `YYYY-MM-DD HH:MM:SS`. */
  now: string;
  pii: PiiKey;
  progress: (message: string) => void;
}

/** What one file contributed: rows_in = rows_loaded + rows_rejected (superseded rows are loaded). */
export interface FileFigures {
  file: DataFile;
  rowsIn: number;
  rowsLoaded: number;
  rowsRejected: number;
}

/** Which files to read into which relation, and how duplicates are judged. */
export interface StageRequest {
  files: DataFile[];
  /** The relation created (or replaced) with the valid rows: `raw.<table>`, or a delta to merge. */
  target: string;
  /** Append mode: duplicates within each file; a later file's row supersedes an earlier one. */
  append: boolean;
  /** Where to keep the loaded rows' fingerprints (keyed replace-mode tables; reuseSql.ts). */
  fingerprints?: string;
  /**
   * Reload one file by its changes (reuseSql.ts): `previous` is the table as loaded before,
   * `fingerprints` its rows' fingerprints. `target` becomes the checked staging table, rejects
   * included, for applyDeltaSql; the temp tables `__fp` and `__known` stay for it too.
   */
  delta?: { previous: string; fingerprints: string };
}

/** Reads `request.files` of `source` into `request.target`; returns each file's counts. */
export async function loadTable(
  context: LoadContext,
  source: SourceTable,
  contract: ContractTable,
  request: StageRequest,
): Promise<FileFigures[]> {
  const { adapter } = context;
  const settings = source.load!;
  const { files, target: STAGE } = request;
  const prepared: PreparedFile[] = [];
  // Rows of file i have rowids starts[i] .. starts[i + 1] - 1 in the staging table.
  const starts = [0];
  try {
    for (const [index, file] of files.entries()) {
      const location: Location = { file: file.display };
      const ready = await readable(
        () => prepareFile(adapter, file, settings, context.tempDir, context.timezone),
        location,
      );
      prepared.push(ready);
      const sources = mapColumns(contract, settings.columns, ready.columns, ready.expression, location);
      const common = {
        table: contract,
        fileIndex: index,
        values: settings.values,
        timezone: context.timezone,
        now: context.now,
        pii: context.pii,
      };
      if (request.delta) {
        const { previous, fingerprints } = request.delta;
        const pass = fingerprintPassSql(contract, sources, ready.from, ready.line, context.pii, fingerprints);
        await readable(() => adapter.execute(pass), location);
        const parsed = stageSql({
          ...common,
          sources,
          from: unknownRowsSql(ready.from),
          line: "__pass_line",
          fingerprint: "__fp",
          ordinal: true,
        });
        await readable(() => adapter.execute(`create or replace temp table __parsed as ${parsed}`), location);
        await adapter.execute(deltaStageSql(contract, STAGE, previous));
        const { rows } = await adapter.query("select count(*) as n from __fp");
        starts.push(Number(rows[0]?.n));
        continue;
      }
      const select = stageSql({
        ...common,
        sources,
        from: ready.from,
        line: ready.line,
        ...(request.fingerprints ? { fingerprint: fingerprintSql(sources, context.pii) } : {}),
      });
      const statement =
        index === 0 ? `create or replace table ${STAGE} as ${select}` : `insert into ${STAGE} ${select}`;
      await readable(() => adapter.execute(statement), location);
      const { rows } = await adapter.query(`select count(*) as n from ${STAGE}`);
      starts.push(Number(rows[0]?.n));
    }
    await adapter.execute(dedupeSql(contract, STAGE, request.append));
    if (contract.name === "order_items") await adapter.execute(orphanSql(STAGE));
    if (request.append) await adapter.execute(supersedeSql(contract, STAGE));
    // The staging table of a delta holds some of the file's rows: each carries its ordinal.
    const malformed = await assignLines(
      adapter,
      STAGE,
      prepared,
      starts,
      request.delta ? "__ordinal" : undefined,
    );
    const fileNames = `case __file ${files.map((file, i) => `when ${i} then ${quoteLiteral(file.display)}`).join(" ")} end`;
    await adapter.execute(`insert into raw.quarantine
        select ${quoteLiteral(contract.name)}, ${fileNames}, __line, __problem.column, __problem.reason,
            __problem.value, null
        from ${STAGE} where __problem is not null and __problem.reason <> '${SUPERSEDED}' order by rowid`);
    for (const row of malformed) {
      await adapter.execute(
        "insert into raw.quarantine values ($source, $file, $line, null, 'malformed_row', null, $detail)",
        { source: contract.name, file: row.file, line: row.line, detail: row.detail },
      );
    }
    const figures: FileFigures[] = files.map((file) => ({ file, rowsIn: 0, rowsLoaded: 0, rowsRejected: 0 }));
    const { rows } = await adapter.query(`select __file as file,
            count(*) filter (where __problem is null or __problem.reason = '${SUPERSEDED}') as loaded,
            count(*) as n
        from ${STAGE} group by all`);
    for (const row of rows) {
      const one = figures[Number(row.file)]!;
      one.rowsIn += Number(row.n);
      one.rowsLoaded += Number(row.loaded);
      one.rowsRejected += Number(row.n) - Number(row.loaded);
    }
    if (request.delta) {
      // Every row the reader yielded is in __fp; those not staged are known, valid rows.
      const one = figures[0]!;
      one.rowsLoaded += starts[1]! - one.rowsIn;
      one.rowsIn = starts[1]!;
    }
    for (const row of malformed) {
      const one = figures.find((figure) => figure.file.display === row.file)!;
      one.rowsIn += 1;
      one.rowsRejected += 1;
    }
    if (request.delta) return figures;
    await adapter.execute(`delete from ${STAGE} where __problem is not null`);
    if (request.fingerprints) {
      const key = (contract.key ?? []).map(quoteIdent);
      await adapter.execute(`create or replace table ${request.fingerprints} as
          select __fp as fingerprint, ${key.join(", ")} from ${STAGE};
          alter table ${STAGE} drop column __fp`);
    }
    await adapter.execute(`alter table ${STAGE} drop column __problem;
        alter table ${STAGE} drop column __line;
        alter table ${STAGE} drop column __file`);
    return figures;
  } finally {
    await Promise.all(prepared.flatMap((ready) => ready.temporary).map((path) => rm(path, { force: true })));
  }
}

// An item whose order is not in raw.orders (missing, or itself rejected) cannot be attributed.
const orphanSql = (stage: string) => `update ${stage} as item
set __problem = {'reason': 'orphan_order_item', 'column': 'order_id', 'value': item.order_id}
where item.__problem is null
    and not exists (select 1 from raw.orders where raw.orders.order_id = item.order_id)`;

/** Runs a step that reads a user's file; a reader failure becomes an error naming the file. */
async function readable<T>(step: () => Promise<T>, location: Location): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof HuitouError || error instanceof HuitouErrors) throw error;
    const message = (error as Error).message.split("\n")[0] ?? String(error);
    throw errors.badDataFile(
      `cannot read ${location.file}: ${message}; check that it is a valid export in the declared format and encoding`,
      location,
    );
  }
}
