/**
 * The SQL of the generic data tests, dbt's and dbt-utils' definitions: each query returns the
 * failing rows, so a test passes when it returns none. Pure string building; arguments are
 * checked here so a missing `values:` points at the test's YAML entry.
 */
import type { HuitouError } from "../errors.ts";
import { quoteIdent } from "./adapters/adapter.ts";

export interface GenericTestContext {
  /** The tested relation, already narrowed by a `where` config when there is one. */
  relation: string;
  /**
   * For a key test's variant over an incremental build's rows: the written rows (`where`
   * applied); the keys found there are counted over the whole `relation`.
   */
  written?: string;
  /** The tested column as written (dbt inserts it verbatim, so expressions work). */
  column: string | undefined;
  args: Record<string, unknown>;
  /** Resolves `ref('x')` / `source('a', 'b')` written in an argument to a relation. */
  resolve(expression: string): string;
  fail(message: string): HuitouError;
}

type Builder = (context: GenericTestContext) => string;

/** A plain name is quoted (columns called `group` or `window` exist); an expression is kept. */
export const columnSql = (name: string): string =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? quoteIdent(name) : name;

const needColumn = (context: GenericTestContext, test: string): string => {
  if (context.column === undefined)
    throw context.fail(`${test} tests a column: put it under a column's tests`);
  return columnSql(context.column);
};

const literal = (value: unknown, quote: boolean): string => {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = String(value);
  return quote ? `'${text.replaceAll("'", "''")}'` : text;
};

const nameList = (context: GenericTestContext, key: string): string[] => {
  const value = context.args[key];
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === "string")) {
    throw context.fail(`${key} must be a non-empty list of column names`);
  }
  return (value as string[]).map(columnSql);
};

export type GenericTestName =
  | "not_null"
  | "unique"
  | "accepted_values"
  | "relationships"
  | "expression_is_true"
  | "unique_combination_of_columns"
  | "accepted_range";

/** The generic tests that judge each row alone: a row fails when it meets the condition. */
export type RowLocalTestName = "not_null" | "accepted_values" | "expression_is_true" | "accepted_range";

/**
 * The failing-row condition of each row-local test, over the tested relation's columns (its
 * `where` not included). The tests' SQL below is built from it, so a shared scan counting
 * `count(*) filter (where <condition>)` (sharedScan.ts) finds rows exactly when the test does.
 */
export const ROW_CONDITIONS: Record<RowLocalTestName, Builder> = {
  not_null: (context) => `${needColumn(context, "not_null")} is null`,

  accepted_values: (context) => {
    const column = needColumn(context, "accepted_values");
    const values = context.args.values;
    if (!Array.isArray(values) || values.length === 0) {
      throw context.fail("accepted_values needs `values:`, a non-empty list");
    }
    const quote = context.args.quote !== false;
    const list = values.map((value) => literal(value, quote)).join(", ");
    return `${column} is not null and ${column} not in (${list})`;
  },

  expression_is_true: (context) => {
    const { expression } = context.args;
    if (typeof expression !== "string") throw context.fail("expression_is_true needs `expression:`");
    const condition =
      context.column === undefined ? expression : `${columnSql(context.column)} ${expression}`;
    return `not (${condition})`;
  },

  accepted_range: (context) => {
    const column = needColumn(context, "accepted_range");
    const { min_value: min, max_value: max } = context.args;
    if (min === undefined && max === undefined)
      throw context.fail("accepted_range needs min_value or max_value");
    const inclusive = context.args.inclusive !== false;
    const bounds: string[] = [];
    if (min !== undefined) bounds.push(`${column} ${inclusive ? ">=" : ">"} ${literal(min, false)}`);
    if (max !== undefined) bounds.push(`${column} ${inclusive ? "<=" : "<"} ${literal(max, false)}`);
    return `not (${bounds.join(" and ")})`;
  },
};

export const GENERIC_TESTS: Record<GenericTestName, Builder> = {
  not_null: (context) => `select *\nfrom ${context.relation}\nwhere ${ROW_CONDITIONS.not_null(context)}`,

  unique: (context) => {
    const column = needColumn(context, "unique");
    const written = context.written ? ` and ${column} in (select ${column} from ${context.written})` : "";
    return `select ${column} as unique_field, count(*) as n_records\nfrom ${context.relation}\nwhere ${column} is not null${written}\ngroup by ${column}\nhaving count(*) > 1`;
  },

  accepted_values: (context) => {
    const condition = ROW_CONDITIONS.accepted_values(context);
    const column = needColumn(context, "accepted_values");
    return `select ${column} as value_field, count(*) as n_records\nfrom ${context.relation}\nwhere ${condition}\ngroup by ${column}`;
  },

  relationships: (context) => {
    const column = needColumn(context, "relationships");
    const { to, field } = context.args;
    if (typeof to !== "string") throw context.fail("relationships needs `to:`, e.g. to: ref('customers')");
    if (typeof field !== "string") throw context.fail("relationships needs `field:`, the column in `to`");
    const parent = context.resolve(to);
    const key = columnSql(field);
    return `select child.${column} as from_field\nfrom ${context.relation} as child\nleft join ${parent} as parent on child.${column} = parent.${key}\nwhere child.${column} is not null and parent.${key} is null`;
  },

  expression_is_true: (context) =>
    `select *\nfrom ${context.relation}\nwhere ${ROW_CONDITIONS.expression_is_true(context)}`,

  unique_combination_of_columns: (context) => {
    const names = nameList(context, "combination_of_columns");
    const columns = names.join(", ");
    // Nulls group together here, so the written combinations match with `is not distinct from`.
    const written = context.written
      ? `\nwhere exists (select 1 from ${context.written} as written where ${names.map((name) => `written.${name} is not distinct from tested.${name}`).join(" and ")})`
      : "";
    const tested = context.written ? `${context.relation} as tested` : context.relation;
    return `select ${columns}, count(*) as n_records\nfrom ${tested}${written}\ngroup by ${columns}\nhaving count(*) > 1`;
  },

  accepted_range: (context) =>
    `select *\nfrom ${context.relation}\nwhere ${ROW_CONDITIONS.accepted_range(context)}`,
};

/**
 * How each generic test narrows to the rows an incremental build wrote, when the rows kept
 * passed it before: a row-local test reads only the written rows; a key test counts the written
 * keys over the whole table (a new duplicate involves a written row); relationships checks the
 * written child rows against the whole parent (only sound when no parent key went away).
 */
export const NARROWING: Record<GenericTestName, "rows" | "keys" | "child"> = {
  not_null: "rows",
  unique: "keys",
  accepted_values: "rows",
  relationships: "child",
  expression_is_true: "rows",
  unique_combination_of_columns: "keys",
  accepted_range: "rows",
};

/** `dbt_utils.expression_is_true` → `expression_is_true`; unknown names → undefined. */
export function genericTest(testType: string): Builder | undefined {
  const bare = testType.replace(/^(dbt_utils|dbt|dbt_expectations)\./, "");
  return Object.hasOwn(GENERIC_TESTS, bare) ? GENERIC_TESTS[bare as GenericTestName] : undefined;
}
