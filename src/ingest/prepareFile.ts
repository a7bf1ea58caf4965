/**
 * Turns one data file into something DuckDB reads as text columns: a UTF-8 CSV (GB18030
 * converted first; Excel and JSON lines converted to CSV with their line numbers), or a Parquet
 * file. Returns the relation to read, its columns, and how to know each row's line.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { Adapter } from "../engine/adapters/adapter.ts";
import { quoteIdent, quoteLiteral } from "../engine/adapters/adapter.ts";
import type { LoadSettings } from "./api.ts";
import { readCsvHeader } from "./csvHeader.ts";
import type { MalformedRecord } from "./csvScan.ts";
import { convertToUtf8, detectEncoding } from "./encoding.ts";
import { jsonlToCsv } from "./jsonlToCsv.ts";
import type { DataFile } from "./resolveFiles.ts";
import { xlsxToCsv } from "./xlsxToCsv.ts";

export interface PreparedFile {
  file: DataFile;
  /** Column names of the file (duplicates suffixed `_2`, blanks named `column_N`). */
  columns: string[];
  /** SQL for a column's value, by name. */
  expression: (column: string) => string;
  from: string;
  line: string;
  /** Set when lines are found by scanning this UTF-8 CSV (rows carry only ordinals). */
  scan?: { path: string; delimiter: string };
  /** DuckDB's table of rows its CSV reader rejected, if any. */
  rejectsTable?: string;
  /** Records the converter could not read. */
  malformed: MalformedRecord[];
  temporary: string[];
}

/** Prepares `file`; temporary files go to `tempDir` and are listed for the caller to remove. */
export async function prepareFile(
  adapter: Adapter,
  file: DataFile,
  settings: LoadSettings,
  tempDir: string,
  timezone: string,
): Promise<PreparedFile> {
  const temporary: string[] = [];
  const temp = (extension: string) => {
    const path = join(tempDir, `huitou-${randomUUID()}.${extension}`);
    temporary.push(path);
    return path;
  };
  if (file.format === "parquet") return prepareParquet(adapter, file, timezone);
  if (file.format === "xlsx" || file.format === "jsonl") {
    const csv = temp("csv");
    const converted =
      file.format === "xlsx"
        ? await xlsxToCsv(file.path, csv, settings.sheet)
        : await jsonlToCsv(file.path, csv);
    const read = csvRelation(csv, ["__line", ...unique(converted.columns)], ",");
    return {
      file,
      columns: unique(converted.columns),
      expression: quoteIdent,
      from: read.from,
      line: `"__line"::bigint`,
      rejectsTable: read.rejectsTable,
      malformed: converted.malformed.map((one) => ({ ...one, reason: one.reason })),
      temporary,
    };
  }
  let path = file.path;
  const encoding = settings.encoding === "auto" ? await detectEncoding(path) : settings.encoding;
  if (encoding === "gb18030") {
    path = temp("csv");
    await convertToUtf8(file.path, path);
  }
  const header = await readCsvHeader(path, settings.delimiter);
  const columns = unique(header.columns);
  const read = csvRelation(path, columns, header.delimiter);
  return {
    file,
    columns,
    expression: quoteIdent,
    from: read.from,
    line: "null::bigint",
    scan: { path, delimiter: header.delimiter },
    rejectsTable: read.rejectsTable,
    malformed: [],
    temporary,
  };
}

function csvRelation(path: string, columns: string[], delimiter: string) {
  const id = randomUUID().replaceAll("-", "");
  const rejectsTable = `__rejects_${id}`;
  const types = columns.map((name) => `${quoteLiteral(name)}: 'VARCHAR'`).join(", ");
  const from = `read_csv(${quoteLiteral(path)}, columns = {${types}}, auto_detect = false, header = true,
        delim = ${quoteLiteral(delimiter)}, quote = '"', escape = '"', store_rejects = true,
        rejects_table = ${quoteLiteral(rejectsTable)}, rejects_scan = ${quoteLiteral(`__scan_${id}`)})`;
  return { from, rejectsTable };
}

async function prepareParquet(adapter: Adapter, file: DataFile, timezone: string): Promise<PreparedFile> {
  const from = `read_parquet(${quoteLiteral(file.path)}, file_row_number = true)`;
  const { rows } = await adapter.query(`describe select * from ${from}`);
  const types = new Map(rows.map((row) => [String(row.column_name), String(row.column_type)]));
  types.delete("file_row_number");
  return {
    file,
    columns: [...types.keys()],
    expression: (column) =>
      // An instant becomes shop time; every other type reads as its text.
      types.get(column) === "TIMESTAMP WITH TIME ZONE"
        ? `strftime(timezone(${quoteLiteral(timezone)}, ${quoteIdent(column)}), '%Y-%m-%d %H:%M:%S.%f')`
        : `${quoteIdent(column)}::varchar`,
    from,
    line: "file_row_number + 1",
    malformed: [],
    temporary: [],
  };
}

/** Names made unique and non-empty, in order: DuckDB needs distinct column names. Pure. */
export function unique(columns: string[]): string[] {
  const seen = new Map<string, number>();
  return columns.map((name, i) => {
    const base = name === "" ? `column_${i + 1}` : name;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}_${count}`;
  });
}
