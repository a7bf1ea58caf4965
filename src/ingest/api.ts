/**
 * The contract between the engine and the ingest layer (types only). The engine asks ingest
 * which source tables exist (for `source()`, the manifest and source tests) and asks it to load
 * them into the warehouse schema `raw`; everything about files, encodings, mappings,
 * validation and quarantine stays behind this interface.
 */
import type { Location } from "../errors.ts";
import type { Adapter } from "../engine/adapters/adapter.ts";

export interface SourceColumn {
  name: string;
  description?: string;
  /** Generic data tests as written in the YAML (`unique`, `{accepted_values: {...}}`, ...). */
  tests?: unknown[];
}

export interface SourceTable {
  /** Source name as `source()` takes it, e.g. `shop`. */
  source: string;
  /** Table name, e.g. `orders`. */
  name: string;
  /** The relation models read: `raw.orders`. */
  relation: string;
  description?: string;
  columns: SourceColumn[];
  /** Table-level tests as written in the YAML. */
  tests?: unknown[];
  /** dbt-style freshness: `loaded_at_field` with warn/error thresholds in hours. */
  freshness?: { loadedAtField: string; warnAfterHours?: number; errorAfterHours?: number };
  /** Where the table is declared (the YAML file and line of its `- name:`). */
  location: Location;
}

export interface LoadSourcesOptions {
  projectDir: string;
  /** `--data DIR`: a folder with one file per table named after it (raw-data.md). */
  dataDir?: string;
  /** Shop time zone (var `timezone`), for converting ISO 8601 offsets to naive shop time. */
  timezone: string;
  /** Progress lines ("orders: 1,234,567 rows"), for the terminal or CI log. */
  onProgress?: (message: string) => void;
}

export interface SourceLoadReport {
  table: string;
  /** The file(s) read, relative to the project or data dir; null for an absent optional table. */
  files: string[];
  rowsIn: number;
  rowsLoaded: number;
  rowsRejected: number;
}
