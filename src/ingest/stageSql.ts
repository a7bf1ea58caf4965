/**
 * The SQL that parses and validates one file of one table in a single streaming pass. Every
 * value arrives as text; three layers of SELECT then (1) trim it and apply the source's value
 * mapping, (2) cast it to the contract's type with `try_cast`/`try_strptime` (never failing),
 * and (3) name the first problem of the row, if any, as a struct {reason, column, value}. Rows
 * with a problem are quarantined, the rest loaded. Pure: text in, SQL out.
 */
import { quoteIdent, quoteLiteral } from "../engine/adapters/adapter.ts";
import type { ContractColumn, ContractTable } from "./contract.ts";
import { SQL_TYPE } from "./contract.ts";
import { hmacSql, type PiiKey } from "./pii.ts";
import { timestampSql } from "./timestampSql.ts";
import { LOADED_AT } from "./warehouseTables.ts";

/** Where each contract column's text comes from in the file being read. */
export interface ColumnSource {
  column: ContractColumn;
  /** SQL expression of the raw value (e.g. a quoted file column), or null when absent. */
  expression: string | null;
}

export interface StageSqlInput {
  table: ContractTable;
  sources: ColumnSource[];
  /** The relation that yields the file's rows, e.g. `read_csv(...)`. */
  from: string;
  /** SQL for the physical line, or `null` when it is mapped later from a scan. */
  line: string;
  fileIndex: number;
  values: Record<string, Record<string, string>>;
  timezone: string;
  /** Naive shop time of the load, as `YYYY-MM-DD HH:MM:SS`. */
  now: string;
  pii: PiiKey;
  /** SQL of the row's fingerprint over `from`, output as `__fp` (see reuseSql.ts). */
  fingerprint?: string;
  /** Whether `from` has an `__ordinal` column to pass through (see reuseSql.ts). */
  ordinal?: boolean;
}

// Whitespace that exports put around values: spaces, tabs (Excel's text-id trick), ideographic
// space, and line breaks.
const WHITESPACE = [" ", "\t", "\u3000", "\r", "\n"];
const CAST_KINDS = new Set<ContractColumn["kind"]>(["money", "integer", "timestamp", "date"]);
const TRIM = quoteLiteral(WHITESPACE.join(""));

/**
 * `SELECT` producing `__file, __line, <contract columns typed>, __problem, _loaded_at` (the load
 * time, so that dropping the helpers leaves `_loaded_at` last), with `__fp` and `__ordinal`
 * after `__line` when asked. Rows keep file order
 * (DuckDB's preserve_insertion_order), so the staging table's rowid gives each row's ordinal
 * without a window function, which would cost more than all the parsing.
 */
export function stageSql(input: StageSqlInput): string {
  const { table, sources } = input;
  const texts = sources.map(({ column, expression }) => {
    // Casts to numbers and timestamps skip spaces and tabs themselves: those columns only lose ''.
    const text = `${expression}::varchar`;
    const raw =
      expression === null
        ? "null::varchar"
        : CAST_KINDS.has(column.kind)
          ? `nullif(${text}, '')`
          : trimmed(text);
    return `${mapValues(raw, column, input.values[column.name])} as ${v(column)}`;
  });
  const typed = sources.map(({ column }) => `${typedSql(column, input)} as ${t(column)}`);
  const outputs = sources.map(
    ({ column }) => `cast(${t(column)} as ${SQL_TYPE[column.kind]}) as ${quoteIdent(column.name)}`,
  );
  const extra = [...(input.fingerprint ? ["__fp"] : []), ...(input.ordinal ? ["__ordinal"] : [])];
  const inner = [
    ...(input.fingerprint ? [`${input.fingerprint} as __fp`] : []),
    ...(input.ordinal ? ["__ordinal"] : []),
  ];
  return `select ${[`${input.fileIndex} as __file`, "__line", ...extra].join(", ")},
    ${outputs.join(",\n    ")},
    ${problemSql(table, input.now)} as __problem,
    timestamp ${quoteLiteral(input.now)} as ${quoteIdent(LOADED_AT)}
from (
    select *, ${typed.join(",\n        ")}
    from (
        select ${[`${input.line} as __line`, ...inner].join(", ")},
            ${texts.join(",\n            ")}
        from ${input.from}
    )
)`;
}

/**
 * Trims and turns '' into NULL. `trim` allocates a new string per value, which on ten million
 * rows cost more than all the parsing; the LIKE guards are allocation-free and let only
 * values that start or end with whitespace reach it.
 */
function trimmed(value: string): string {
  const edges = WHITESPACE.flatMap((char) => [`${value} like '${char}%'`, `${value} like '%${char}'`]).join(
    " or ",
  );
  return `(case when ${edges} then nullif(trim(${value}, ${TRIM}), '') when ${value} = '' then null else ${value} end)`;
}

const v = (column: ContractColumn) => quoteIdent(`v_${column.name}`);
const t = (column: ContractColumn) => quoteIdent(`t_${column.name}`);

function mapValues(raw: string, column: ContractColumn, map: Record<string, string> | undefined): string {
  const entries = Object.entries(map ?? {});
  // Canonical values compare case-insensitively ("Paid" is paid); mapped ones exactly.
  const fallback = column.accepted ? `lower(${raw})` : raw;
  if (entries.length === 0) return fallback;
  const whens = entries.map(([from, to]) => `when ${quoteLiteral(from)} then ${quoteLiteral(to)}`).join(" ");
  return `case ${raw} ${whens} else ${fallback} end`;
}

function typedSql(column: ContractColumn, input: StageSqlInput): string {
  const value = v(column);
  switch (column.kind) {
    case "id":
    case "text":
      return column.pii ? hmacSql(piiNormalized(column, value), input.pii) : value;
    case "money":
      // Mall exports write 1,299.00 and ¥199; the thousands separator and currency sign go.
      return `try_cast(case when ${value} like '%,%' or ${value} like '%¥%' or ${value} like '%￥%'
            then replace(replace(replace(${value}, ',', ''), '¥', ''), '￥', '') else ${value} end as ${SQL_TYPE.money})`;
    case "integer":
      // try_cast rounds 3.5 to 4: only whole numbers are integers.
      return `case when regexp_full_match(${value}, '\\s*[+-]?[0-9]+(\\.0*)?\\s*') then try_cast(${value} as integer) end`;
    case "timestamp":
      return timestampSql(value, input.timezone);
    case "date":
      return `cast(coalesce(${timestampSql(value, input.timezone)}, try_strptime(${value}, ['%Y-%m', '%Y/%m'])) as date)`;
  }
}

function piiNormalized(column: ContractColumn, value: string): string {
  if (column.name !== "phone") return value;
  // One phone, one hash: drop separators and a +86 / 0086 prefix before an 11-digit mobile.
  return `regexp_replace(regexp_replace(${value}, '[\\s()\\-]', '', 'g'), '^(\\+?86|0086)(1[0-9]{10})$', '\\2')`;
}

interface Check {
  reason: string;
  column: ContractColumn;
  condition: string;
}

/** The checks of a row, in the order that decides its one reason. */
export function rowChecks(table: ContractTable, now: string): Check[] {
  const checks: Check[] = [];
  const cols = table.columns;
  for (const column of cols.filter((c) => c.required)) {
    // A blank made of whitespace is missing too (cast columns keep it; the cast fails on it).
    const blank = CAST_KINDS.has(column.kind)
      ? ` or (${t(column)} is null and trim(${v(column)}, ${TRIM}) = '')`
      : "";
    checks.push({ reason: "missing_required_value", column, condition: `(${v(column)} is null${blank})` });
  }
  for (const column of cols.filter((c) => c.kind === "timestamp" || c.kind === "date")) {
    checks.push({ reason: "unparseable_timestamp", column, condition: unparsed(column) });
  }
  for (const column of cols.filter((c) => c.kind === "money" || c.kind === "integer")) {
    checks.push({ reason: "unparseable_number", column, condition: unparsed(column) });
  }
  for (const column of cols.filter((c) => c.kind === "money" || (c.kind === "integer" && !c.range))) {
    if (column.name === "birth_year") continue;
    checks.push({ reason: "negative_amount", column, condition: `${t(column)} < 0` });
  }
  for (const column of cols.filter((c) => c.accepted)) {
    const list = column.accepted!.map(quoteLiteral).join(", ");
    const reason = column.name === "status" ? "unknown_status" : "invalid_value";
    checks.push({ reason, column, condition: `${v(column)} not in (${list})` });
  }
  for (const column of cols) {
    const range = column.range ?? (column.name === "birth_year" ? ([1900, 2100] as const) : undefined);
    if (range) {
      checks.push({
        reason: "invalid_value",
        column,
        condition: `${t(column)} not between ${range[0]} and ${range[1]}`,
      });
    }
    if (column.kind === "date") {
      checks.push({ reason: "invalid_value", column, condition: `day(${t(column)}) <> 1` });
    }
  }
  for (const column of cols.filter((c) => c.noFuture)) {
    checks.push({
      reason: "future_timestamp",
      column,
      condition: `${t(column)} > timestamp ${quoteLiteral(now)}`,
    });
  }
  return checks;
}

function unparsed(column: ContractColumn): string {
  return `(${v(column)} is not null and ${t(column)} is null)`;
}

function problemSql(table: ContractTable, now: string): string {
  const whens = rowChecks(table, now).map(({ reason, column, condition }) => {
    const value = column.pii ? "null::varchar" : v(column);
    return `when ${condition} then {'reason': ${quoteLiteral(reason)}, 'column': ${quoteLiteral(column.name)}, 'value': ${value}}`;
  });
  return `case ${whens.join("\n        ")} end`;
}
