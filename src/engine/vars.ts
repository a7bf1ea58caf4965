/**
 * Project variables: defaults from the project file, overridden by `--var name=value`. A value
 * given on the command line is text; it becomes a number or a boolean when it reads as one, so
 * `{{ var('churn_days') }} + 1` works the same with the default and with an override.
 */

const NUMBER = /^[-+]?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/;

/** `"180"` → 180, `"0.4"` → 0.4, `"true"` → true, `"null"` → null; `"007"` and dates stay text. */
export function castVar(text: string): unknown {
  if (NUMBER.test(text)) return Number(text);
  const lower = text.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (lower === "null" || lower === "none") return null;
  return text;
}

/** Defaults with overrides applied (text cast by castVar, typed values kept). */
export function resolveVars(
  defaults: Record<string, unknown>,
  overrides: Record<string, VarValue>,
): Record<string, unknown> {
  const vars: Record<string, unknown> = { ...defaults };
  for (const [name, value] of Object.entries(overrides))
    vars[name] = typeof value === "string" ? castVar(value) : value;
  return vars;
}

/** An override: text from the command line, or a typed value from code (tests, the build). */
export type VarValue = string | number | boolean | null;
