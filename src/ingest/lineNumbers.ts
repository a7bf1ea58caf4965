/**
 * Gives rejected CSV rows their physical line. DuckDB yields rows in file order with no line
 * numbers, and skips blank lines and malformed records; a quote-aware scan of the file (only of
 * files with rejects) lists where each record starts, and the row's ordinal indexes that list.
 * The scan also names the malformed records DuckDB skipped. When the scan and DuckDB disagree
 * on the number of records, lines are left unknown rather than guessed.
 */
import type { Adapter } from "../engine/adapters/adapter.ts";
import { scanCsv, scanCsvLines } from "./csvScan.ts";
import { SUPERSEDED } from "./mergeSql.ts";
import type { PreparedFile } from "./prepareFile.ts";

export interface MalformedRow {
  file: string;
  line: number | null;
  detail: string;
}

/**
 * Sets `__line` of the staged rejected rows of scanned files (superseded rows are not
 * rejected: they need no line); returns the malformed records.
 * Rows of file i have staging rowids `starts[i] .. starts[i + 1] - 1`, in file order, unless
 * `ordinal` names a column holding each row's 0-based ordinal in its file (the reader yielded
 * `starts[i + 1] - starts[i]` rows of file i, not all of them staged).
 */
export async function assignLines(
  adapter: Adapter,
  stage: string,
  files: PreparedFile[],
  starts: number[],
  ordinal?: string,
): Promise<MalformedRow[]> {
  const malformed: MalformedRow[] = [];
  for (const [index, file] of files.entries()) {
    const skipped = file.rejectsTable ? await readerRejects(adapter, file.rejectsTable) : [];
    const display = file.file.display;
    malformed.push(...file.malformed.map((one) => ({ file: display, line: one.line, detail: one.detail })));
    if (!file.scan) {
      malformed.push(...skipped.map((one) => ({ file: display, line: one.line, detail: one.detail })));
      continue;
    }
    const start = starts[index]!;
    const { rows } = await adapter.query(
      `select rowid as row_id, ${ordinal ?? `rowid - ${start}`} as ordinal from ${stage}
          where __file = $file and __problem is not null and __problem.reason <> $superseded order by rowid`,
      { file: index, superseded: SUPERSEDED },
    );
    const problems = rows.map((row) => [Number(row.row_id), Number(row.ordinal)] as const);
    if (problems.length === 0 && skipped.length === 0) continue;
    // Without malformed records only record starts are needed: the fast scan finds them.
    const scan =
      skipped.length === 0
        ? await scanCsvLines(file.scan.path)
        : await scanCsv(file.scan.path, file.scan.delimiter);
    const aligned = scan.records === starts[index + 1]! - start && scan.malformed.length === skipped.length;
    if (aligned) {
      malformed.push(...scan.malformed.map((one) => ({ file: display, line: one.line, detail: one.detail })));
      await setLines(
        adapter,
        stage,
        problems.map(([rowId, ordinal]) => [rowId, scan.lines[ordinal]!]),
      );
    } else {
      malformed.push(...skipped.map((one) => ({ file: display, line: null, detail: one.detail })));
    }
  }
  return malformed;
}

async function readerRejects(adapter: Adapter, table: string): Promise<{ line: number; detail: string }[]> {
  try {
    // DuckDB may log several errors for one record: one per line.
    const { rows } = await adapter.query(
      `select line, min(error_type) as error_type from ${table} group by line order by line`,
    );
    await adapter.execute(`drop table if exists ${table}`);
    return rows.map((row) => ({ line: Number(row.line), detail: String(row.error_type).toLowerCase() }));
  } catch {
    return [];
  }
}

/** Sets `__line` by staging rowid; `pairs` are [rowid, line]. */
async function setLines(adapter: Adapter, stage: string, pairs: [number, number][]): Promise<void> {
  await adapter.execute("create or replace temp table __lines (row_id bigint, line bigint)");
  for (let start = 0; start < pairs.length; start += 5000) {
    const values = pairs
      .slice(start, start + 5000)
      .map(([rowId, line]) => `(${rowId}, ${line})`)
      .join(", ");
    await adapter.execute(`insert into __lines values ${values}`);
  }
  await adapter.execute(`update ${stage} as staged set __line = __lines.line from __lines
      where staged.rowid = __lines.row_id;
      drop table __lines`);
}
