/**
 * Gives rejected CSV rows their physical line. DuckDB yields rows in file order with no line
 * numbers, and skips blank lines and malformed records; a quote-aware scan of the file (only of
 * files with rejects) lists where each record starts, and the row ordinal indexes that list. The
 * scan also names the malformed records DuckDB skipped. When the scan and DuckDB disagree on
 * the number of records, lines are left unknown rather than guessed.
 */
import type { Adapter } from "../engine/adapters/adapter.ts";
import { scanCsv } from "./csvScan.ts";
import type { PreparedFile } from "./prepareFile.ts";

export interface MalformedRow {
  file: string;
  line: number | null;
  detail: string;
}

/** Sets `__line` of the staged problem rows of scanned files; returns the malformed records. */
export async function assignLines(
  adapter: Adapter,
  stage: string,
  files: PreparedFile[],
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
    const { rows } = await adapter.query(
      `select __record from ${stage} where __file = $file and __problem is not null`,
      { file: index },
    );
    const problems = rows.map((row) => Number(row.__record));
    if (problems.length === 0 && skipped.length === 0) continue;
    const scan = await scanCsv(file.scan.path, file.scan.delimiter);
    const counted = await adapter.query(`select count(*) as n from ${stage} where __file = $file`, {
      file: index,
    });
    const aligned = scan.records === Number(counted.rows[0]?.n) && scan.malformed.length === skipped.length;
    if (aligned) {
      malformed.push(...scan.malformed.map((one) => ({ file: display, line: one.line, detail: one.detail })));
      await setLines(
        adapter,
        stage,
        index,
        problems.map((record) => [record, scan.lines[record - 1]!]),
      );
    } else {
      malformed.push(...skipped.map((one) => ({ file: display, line: null, detail: one.detail })));
    }
  }
  return malformed;
}

async function readerRejects(adapter: Adapter, table: string): Promise<{ line: number; detail: string }[]> {
  try {
    const { rows } = await adapter.query(`select line, min(error_type) as error_type from ${table} group by line order by line`);
    await adapter.execute(`drop table if exists ${table}`);
    return rows.map((row) => ({ line: Number(row.line), detail: String(row.error_type).toLowerCase() }));
  } catch {
    return [];
  }
}

async function setLines(
  adapter: Adapter,
  stage: string,
  file: number,
  pairs: [number, number][],
): Promise<void> {
  await adapter.execute("create or replace temp table __lines (record bigint, line bigint)");
  for (let start = 0; start < pairs.length; start += 5000) {
    const values = pairs
      .slice(start, start + 5000)
      .map(([record, line]) => `(${record}, ${line})`)
      .join(", ");
    await adapter.execute(`insert into __lines values ${values}`);
  }
  await adapter.execute(`update ${stage} set __line = __lines.line from __lines
      where ${stage}.__file = ${file} and ${stage}.__record = __lines.record;
      drop table __lines`);
}
