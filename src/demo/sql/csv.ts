/**
 * CSV text built in SQL. The large files are written as one pre-formatted text column with
 * DuckDB's quoting turned off: its CSV writer spends about three times as much per cell as
 * a `concat` of the same values cast to text (10 million rows of 7 columns: 9.3 s of CPU
 * against 2.9 s). That is only correct for values that never need quoting, which holds for
 * every value of these files: numbers, timestamps, codes and names the generator spells itself.
 * A value that could hold a comma, a quote or a newline (a product or campaign name) goes
 * through the ordinary writer instead (output.ts).
 */

/** The characters a CSV field must not hold unquoted. */
const NEEDS_QUOTING = /[",\r\n]/;

/**
 * SQL: one CSV record from column expressions (NULL writes as an empty field, as DuckDB's own
 * writer does). `concat` takes NULL as the empty string and casts every argument to text.
 */
export function csvRecord(columns: string[]): string {
  return `concat(${columns.join(", ',', ")})`;
}

/** SQL: several records in one text, newline-separated; NULL records are left out. */
export function csvRecords(records: string[]): string {
  return `concat_ws(chr(10), ${records.join(", ")})`;
}

/** The header line of a file written with `copyText`: the column names joined by commas. */
export function csvHeader(names: readonly string[]): string {
  for (const name of names) if (NEEDS_QUOTING.test(name)) throw new Error(`invalid csv column: ${name}`);
  return names.join(",");
}

/**
 * A string literal for a value that goes into an unquoted CSV field, with `before` and `after`
 * (separators) around it; rejects (as an internal invariant) a value that would need quoting.
 */
export function csvLiteral(value: string, before = "", after = ""): string {
  if (NEEDS_QUOTING.test(value)) throw new Error(`invalid csv value: ${value}`);
  return `'${`${before}${value}${after}`.replaceAll("'", "''")}'`;
}
