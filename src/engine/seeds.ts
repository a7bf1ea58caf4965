/**
 * Seeds: `seeds/*.csv` loaded into `main.<name>`, declared `column_types` enforced, other
 * columns typed by DuckDB's detection over the whole file. When a value does not fit its type
 * the seed error names the file, the line and the column of that value.
 */
import { errors, type HuitouError } from "../errors.ts";
import { type Adapter, quoteIdent, quoteLiteral } from "./adapters/adapter.ts";
import type { SeedNode } from "./types.ts";

function reader(seed: SeedNode, options: string): string {
  return `read_csv(${quoteLiteral(seed.path)}, header = true, delim = ${quoteLiteral(seed.config.delimiter)}, sample_size = -1${options})`;
}

/** Loads `seed`; resolves to the number of rows. Throws a seed error on a bad value. */
export async function loadSeed(
  adapter: Adapter,
  seed: SeedNode,
  readText: (path: string) => Promise<string>,
): Promise<number> {
  const types = Object.entries(seed.config.columnTypes);
  const typed =
    types.length === 0
      ? ""
      : `, types = {${types.map(([column, type]) => `${quoteLiteral(column)}: ${quoteLiteral(type)}`).join(", ")}}`;
  try {
    const { rows } = await adapter.query(
      `create or replace table ${seed.relation} as select * from ${reader(seed, typed)}`,
    );
    return Number(rows[0]?.Count ?? 0);
  } catch (error) {
    throw await diagnose(adapter, seed, error, readText);
  }
}

/** Finds the first value that does not fit its declared type, to blame its line and column. */
async function diagnose(
  adapter: Adapter,
  seed: SeedNode,
  cause: unknown,
  readText: (path: string) => Promise<string>,
): Promise<HuitouError> {
  const detail = (cause instanceof Error ? cause.message : String(cause)).split("\n")[0];
  let header: string[];
  try {
    const { columns } = await adapter.query(`select * from ${reader(seed, ", all_varchar = true")} limit 0`);
    header = columns.map((column) => column.name);
  } catch {
    return errors.seed(`cannot read the seed: ${detail}`, { file: seed.file });
  }
  for (const [column, type] of Object.entries(seed.config.columnTypes)) {
    const index = header.indexOf(column);
    if (index < 0) {
      return errors.seed(
        `column_types names column '${column}', which the seed does not have (columns: ${header.join(", ")})`,
        { file: seed.file, line: 1 },
      );
    }
    let bad: { rn: unknown; value: unknown } | undefined;
    try {
      const { rows } = await adapter.query(
        `select rn, value from (select row_number() over () as rn, ${quoteIdent(column)} as value from ${reader(seed, ", all_varchar = true")})
         where value is not null and try_cast(value as ${type}) is null order by rn limit 1`,
      );
      bad = rows[0] as typeof bad;
    } catch {
      return errors.seed(`column_types gives '${column}' the type '${type}', which DuckDB does not know`, {
        file: seed.file,
        line: 1,
      });
    }
    if (bad) {
      const at = fieldPosition(await readText(seed.path), seed.config.delimiter, Number(bad.rn), index);
      return errors.seed(
        `value '${String(bad.value)}' in column '${column}' is not a valid ${type}; fix the value or the seed's column_types`,
        { file: seed.file, ...at },
      );
    }
  }
  return errors.seed(`cannot load the seed: ${detail}`, { file: seed.file });
}

/**
 * Line and column (1-based) where field `field` of data record `record` (1 = first row after
 * the header) starts, reading quotes as RFC 4180 does (a quoted field may span lines).
 */
export function fieldPosition(
  text: string,
  delimiter: string,
  record: number,
  field: number,
): { line: number; column: number } {
  let line = 1;
  let column = 1;
  let currentRecord = 0;
  let currentField = 0;
  let quoted = false;
  let atFieldStart = true;
  for (let i = 0; i < text.length; i++) {
    if (atFieldStart && currentRecord === record && currentField === field) return { line, column };
    const ch = text[i];
    atFieldStart = false;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        i++;
        column++;
      } else if (ch === '"') quoted = false;
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === delimiter) {
      currentField++;
      atFieldStart = true;
    } else if (ch === "\n" || (ch === "\r" && text[i + 1] !== "\n")) {
      currentRecord++;
      currentField = 0;
      atFieldStart = true;
    }
    if (ch === "\n" || (ch === "\r" && text[i + 1] !== "\n")) {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return { line, column };
}
