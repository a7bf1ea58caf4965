/**
 * What a page's expressions and components see while it compiles: its query results by name,
 * the current filter values (`inputs`), the template parameters (`params`), loop variables,
 * and the page functions `t(zh, en)` and `fmt(value, unit)`. Also where errors point.
 */
import type { Column, Row } from "../../engine/adapters/adapter.ts";
import { errors, type HuitouError } from "../../errors.ts";
import { ExpressionError, evaluate, parseExpression } from "../expression.ts";
import { formatValue } from "../format.ts";
import type { Glossary } from "../glossary.ts";
import type { Locale } from "../types.ts";
import { parseUnit } from "../units.ts";

/** A query's result as pages see it: an array of rows that also knows its columns. */
export interface QueryData {
  name: string;
  rows: Row[];
  columns: Column[];
  /** Set when the query read an optional table that does not exist yet. */
  missing?: string;
}

export interface PageEnv {
  file: string;
  source: string;
  route: string;
  locale: Locale;
  asOf: string;
  glossary: Glossary;
  /** Unique id prefix for the page's charts. */
  nextId: () => string;
  /** The run's artifacts for the Data page (target/manifest.json, target/run_results.json). */
  docs: { manifest?: unknown; runResults?: unknown };
}

export interface Scope {
  env: PageEnv;
  /** Expression variables: query arrays, `inputs`, `params`, loop variables, functions. */
  vars: Record<string, unknown>;
  /** Query results by name for the current filter values. */
  data: Map<string, QueryData>;
  /** Drawing width of the slot charts render into (narrower inside a Grid). */
  width?: number;
}

/** The page functions every expression can call. */
export function pageFunctions(locale: Locale): Record<string, unknown> {
  return {
    t: (zh: unknown, en: unknown) => String(locale === "en" && en !== undefined ? en : zh),
    fmt: (value: unknown, unit: unknown) =>
      formatValue(value as string | number | null, parseUnit(String(unit)) ?? "number", locale, {
        compact: true,
      }),
  };
}

/** A page error at a line and column of the page file, with its code frame. */
export function pageError(env: PageEnv, message: string, at: { line: number; column?: number }): HuitouError {
  return errors.page(message, { file: env.file, line: at.line, column: at.column }, env.source);
}

/** Evaluates `{expr}` in a scope; an error names the page file and line. */
export function evalAt(scope: Scope, expr: string, at: { line: number; column?: number }): unknown {
  try {
    return evaluate(parseExpression(expr), scope.vars);
  } catch (error) {
    if (error instanceof ExpressionError) throw pageError(scope.env, error.message, at);
    throw error;
  }
}

/** Rows as an array for expressions (`q[0].x`, `q.length`), keeping the query's metadata aside. */
export function rowsOf(data: QueryData): Row[] {
  return data.rows;
}
