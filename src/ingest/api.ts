/**
 * The contract between the engine and the ingest layer (types only). The engine asks ingest
 * which source tables exist (for `source()`, the manifest and source tests) and asks it to load
 * them into the warehouse schema `raw`; everything about files, encodings, mappings,
 * validation and quarantine stays behind this interface.
 */

import type { Adapter } from "../engine/adapters/adapter.ts";
import type { Location } from "../errors.ts";

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
  /** huitou's load settings (the table's `load:` block merged over its source's); ingest-only. */
  load?: LoadSettings;
}

/** How one table's file(s) are found, decoded and mapped onto the raw contract. */
export interface LoadSettings {
  /** File paths or globs, relative to the data dir (`--data`) or else the project. */
  paths: string[];
  /** True when `paths` came from the YAML rather than the `<table>.<ext>` default. */
  pathsDeclared: boolean;
  format: "auto" | "csv" | "parquet" | "jsonl" | "xlsx";
  encoding: "auto" | "utf-8" | "gb18030";
  /** A single character, or "auto" to let the CSV sniffer decide. */
  delimiter: string;
  /** Worksheet name or 1-based index for `.xlsx`; the first sheet by default. */
  sheet?: string | number;
  /** Contract column -> header in the file (`order_id: 订单编号`). */
  columns: Record<string, string>;
  /** Contract column -> (file value -> contract value), e.g. `status: {交易成功: paid}`. */
  values: Record<string, Record<string, string>>;
  /** Whether a missing file is an error; defaults to the contract (customers, orders). */
  required: boolean;
  /** Too many rejects fail the run: more than `count` rows, or more than `share` of rows_in. */
  maxRejected?: { count?: number; share?: number };
  /**
   * `replace` (default): the files are the whole table. `append`: the files are deltas (one a
   * day, say) taken in name order; a row whose key (the contract key, else the whole row)
   * appears again in a later file is superseded by it, and a refresh reads only new files.
   */
  mode: "replace" | "append";
}

export interface LoadSourcesOptions {
  projectDir: string;
  /** `--data DIR`: a folder with one file per table named after it (raw-data.md). */
  dataDir?: string;
  /** Shop time zone (var `timezone`), for converting ISO 8601 offsets to naive shop time. */
  timezone: string;
  /** Progress lines ("orders: 1,234,567 rows"), for the terminal or CI log. */
  onProgress?: (message: string) => void;
  /** The load time, for freshness and future-dated rows; defaults to the clock (tests fix it). */
  now?: Date;
  /** Salt for hashing names and phones; defaults to env HUITOU_PII_SALT or ~/.config/huitou/pii_salt. */
  piiSalt?: string;
  /** Folder for converted files (GBK, Excel, JSON lines); defaults to the OS temp dir. */
  tempDir?: string;
  /**
   * `--full-refresh`: reload every table from all its files, even when raw.loaded_files shows
   * them unchanged; every row gets this run's `_loaded_at`.
   */
  fullRefresh?: boolean;
}

export interface SourceLoadReport {
  table: string;
  /** The table's file(s), relative to the project or data dir; [] for an absent optional table. */
  files: string[];
  /** The files this run read: all of `files` for a full load, the new ones of a merge, [] when kept. */
  filesRead: string[];
  /** Cumulative over `files`: rows_in = rows_loaded + rows_rejected. */
  rowsIn: number;
  /** Rows that passed the checks, superseded ones included (raw.<table> holds rowsLoaded - rowsSuperseded). */
  rowsLoaded: number;
  rowsRejected: number;
  /** Append mode: loaded rows replaced by a later file's row with their key; 0 otherwise. */
  rowsSuperseded: number;
  /**
   * What this run did: `full` read every file; `kept` found the files unchanged and left the
   * table as it was; `merged` read only new append files and merged them in.
   */
  refresh: "full" | "kept" | "merged";
  /** Why a table that had a previous version was reloaded in full (absent otherwise). */
  reason?: string;
  /** Rows inserted or replaced in raw.<table> by this run (0 when kept). */
  rowsWritten: number;
  /**
   * For a merge: this load's `_loaded_at` (naive shop time, `YYYY-MM-DD HH:MM:SS`), the stamp of
   * every row it wrote (the engine narrows the table's tests to them).
   */
  loadedAt?: string;
  /** Freshness of `loaded_at_field`, when the table declares it. */
  freshness?: FreshnessResult;
}

export interface FreshnessResult {
  loadedAtField: string;
  /** Latest value of the field (naive shop time, `YYYY-MM-DD HH:MM:SS`), null for no rows. */
  maxLoadedAt: string | null;
  ageHours: number | null;
  status: "pass" | "warn" | "error";
}

/** The signatures the engine calls (src/ingest/readSources.ts and loadSources.ts). */
export type ReadSources = (projectDir: string) => Promise<SourceTable[]>;
export type LoadSources = (
  adapter: Adapter,
  tables: SourceTable[],
  options: LoadSourcesOptions,
) => Promise<SourceLoadReport[]>;
