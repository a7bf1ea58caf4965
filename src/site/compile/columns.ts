/**
 * How a column is shown: its label, its unit (so its format) and its definition, from the page's
 * own props first (`title`, `fmt`), then the glossary (the model YAML), then the naming rules.
 */

import { columnLabel } from "../glossary.ts";
import { COLUMN_LABELS } from "../i18n.ts";
import type { Definition, TableColumn } from "../types.ts";
import { resolveUnit } from "../units.ts";
import type { PageEnv, QueryData } from "./scope.ts";

/** The model a query reads (its first `from`/`join` relation), to pick the right glossary entry. */
export function sourceTable(sql: string | undefined): string | undefined {
  if (!sql) return undefined;
  // Comments and string literals are prose: "repeat from year to year" names no table.
  const code = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'/g, " ");
  const match = /\b(?:from|join)\s+(?:main\.)?"?([A-Za-z_][\w]*)"?/i.exec(code);
  return match?.[1];
}

export interface ColumnOverrides {
  label?: string;
  fmt?: string;
}

/** Describes `column` of `data` for display. */
export function describeColumn(
  column: string,
  data: QueryData | undefined,
  env: PageEnv,
  overrides: ColumnOverrides = {},
  model?: string,
): TableColumn {
  const entry = env.glossary.lookup(column, model);
  const sample = data?.rows.find((row) => row[column] !== null && row[column] !== undefined)?.[column];
  const unit = resolveUnit(column, { explicit: overrides.fmt, declared: entry?.unit, sample });
  const label = overrides.label ?? columnLabel(column, env.locale, entry, COLUMN_LABELS);
  const definition: Definition | undefined = entry?.description
    ? { term: label, text: entry.description }
    : undefined;
  return { name: column, label, unit, definition };
}
