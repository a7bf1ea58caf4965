/**
 * Parses a table's `load:` block (merged over its source's) and dbt's freshness keys into
 * typed settings, rejecting unknown keys and mappings onto columns the contract lacks. Pure.
 */
import { errors, type Location } from "../errors.ts";
import type { LoadSettings, SourceTable } from "./api.ts";
import { contractTable } from "./contract.ts";

const LOAD_KEYS = [
  "path",
  "format",
  "encoding",
  "delimiter",
  "sheet",
  "columns",
  "values",
  "required",
  "max_rejected",
  "mode",
];
const MODES = ["replace", "append"] as const;
const FORMATS = ["auto", "csv", "parquet", "jsonl", "xlsx"] as const;
const ENCODINGS: Record<string, LoadSettings["encoding"]> = {
  auto: "auto",
  "utf-8": "utf-8",
  utf8: "utf-8",
  gb18030: "gb18030",
  gbk: "gb18030",
  gb2312: "gb18030",
};
const HOURS_PER: Record<string, number> = { minute: 1 / 60, hour: 1, day: 24 };

/** The settings of table `name` from the source-level and table-level `load:` blocks. */
export function parseLoadSettings(
  name: string,
  contractRequired: boolean,
  sourceLoad: Record<string, unknown>,
  tableLoad: Record<string, unknown>,
  location: Location,
  locate: (path: (string | number)[]) => Location,
): LoadSettings {
  for (const key of Object.keys(tableLoad)) {
    if (!LOAD_KEYS.includes(key)) {
      throw errors.config(
        `unknown load setting '${key}' for table ${name}; known: ${LOAD_KEYS.join(", ")}`,
        location,
      );
    }
  }
  // Table paths and mappings are the table's own; format, encoding and thresholds may be defaults.
  const merged = { ...pickDefaults(sourceLoad), ...tableLoad };
  const paths = merged.path === undefined ? [] : [merged.path].flat().map(String);
  const format = String(merged.format ?? "auto");
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw errors.config(`table ${name}: format '${format}' is not one of ${FORMATS.join(", ")}`, location);
  }
  const encoding = ENCODINGS[String(merged.encoding ?? "auto").toLowerCase()];
  if (!encoding) {
    throw errors.config(
      `table ${name}: encoding '${String(merged.encoding)}' is not supported; use utf-8, gb18030 (covers GBK) or auto`,
      location,
    );
  }
  const delimiter = String(merged.delimiter ?? "auto");
  if (delimiter !== "auto" && [...delimiter].length !== 1) {
    throw errors.config(
      `table ${name}: delimiter must be one character or auto, got '${delimiter}'`,
      location,
    );
  }
  const mode = String(merged.mode ?? "replace");
  if (!(MODES as readonly string[]).includes(mode)) {
    throw errors.config(
      `table ${name}: load.mode '${mode}' is not one of ${MODES.join(", ")}; replace reads the files as the whole table, append as daily deltas`,
      tableLoad.mode === undefined ? location : locate(["load", "mode"]),
    );
  }
  const contract = contractTable(name);
  const columns = stringMap(merged.columns, `table ${name}: load.columns`, location);
  for (const column of Object.keys(columns)) {
    if (!contract?.columns.some((one) => one.name === column)) {
      throw errors.config(
        `table ${name}: load.columns maps onto '${column}', which raw.${name} does not have; write <contract column>: <header in the file>`,
        locate(["load", "columns", column]),
      );
    }
  }
  const values: Record<string, Record<string, string>> = {};
  for (const [column, map] of Object.entries(asObject(merged.values))) {
    values[column] = stringMap(map, `table ${name}: load.values.${column}`, location);
  }
  const settings: LoadSettings = {
    paths,
    pathsDeclared: paths.length > 0,
    format: format as LoadSettings["format"],
    encoding,
    delimiter: delimiter === "\\t" ? "\t" : delimiter,
    columns,
    values,
    required: typeof merged.required === "boolean" ? merged.required : contractRequired,
    mode: mode as LoadSettings["mode"],
  };
  if (merged.sheet !== undefined) settings.sheet = merged.sheet as string | number;
  const max = asObject(merged.max_rejected);
  if (merged.max_rejected !== undefined) {
    const limits: { count?: number; share?: number } = {};
    if (max.count !== undefined) limits.count = Number(max.count);
    if (max.share !== undefined) limits.share = Number(max.share);
    if (Object.values(limits).some((value) => !Number.isFinite(value) || value < 0)) {
      throw errors.config(`table ${name}: max_rejected wants {count: N} and/or {share: 0..1}`, location);
    }
    settings.maxRejected = limits;
  }
  return settings;
}

/** dbt's `loaded_at_field` + `freshness: {warn_after: {count, period}, error_after: ...}`. */
export function parseFreshness(
  value: Record<string, unknown>,
  location: Location,
): SourceTable["freshness"] | undefined {
  const field = value.loaded_at_field;
  const freshness = asObject(value.freshness);
  if (typeof field !== "string" || value.freshness === null) return undefined;
  const result: NonNullable<SourceTable["freshness"]> = { loadedAtField: field };
  for (const [key, target] of [
    ["warn_after", "warnAfterHours"],
    ["error_after", "errorAfterHours"],
  ] as const) {
    const limit = asObject(freshness[key]);
    if (freshness[key] === undefined) continue;
    const per = HOURS_PER[String(limit.period ?? "hour")];
    const count = Number(limit.count);
    if (per === undefined || !Number.isFinite(count)) {
      throw errors.config(`freshness.${key} wants {count: N, period: minute|hour|day}`, location);
    }
    result[target] = count * per;
  }
  return result;
}

function pickDefaults(load: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ["format", "encoding", "delimiter", "max_rejected", "mode"]) {
    if (load[key] !== undefined) out[key] = load[key];
  }
  return out;
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function stringMap(value: unknown, what: string, location: Location): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw errors.config(`${what} must be a mapping`, location);
  }
  const out: Record<string, string> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = String(inner);
  return out;
}
