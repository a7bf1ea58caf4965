/**
 * The engine's vocabulary: the project, its nodes (seeds, models, tests, sources) and the plan
 * that ties them together. Plain data, produced by the pure planning step and consumed by the
 * runner and the artifacts.
 */
import type { HuitouError, Location } from "../errors.ts";
import type { SourceTable } from "../ingest/api.ts";
import type { MappedSql } from "./lineMap.ts";
import type { TsModel } from "./tsModel.ts";

export type Materialization = "view" | "table" | "incremental" | "ephemeral";
export type Severity = "error" | "warn";
export type IncrementalStrategy = "append" | "merge";

/** One configuration value and how to blame it: its file position for error messages. */
export interface ConfigEntry {
  value: unknown;
  fail(message: string): HuitouError;
}
export type RawConfig = Record<string, ConfigEntry>;

/** Folder configs of the project file (`models:`, `seeds:`, `data_tests:`), as a tree. */
export interface ConfigTree {
  config: RawConfig;
  children: Record<string, ConfigTree>;
}

export interface Project {
  name: string;
  /** Absolute path of the project folder. */
  dir: string;
  /** Project-relative path of the project file. */
  file: string;
  vars: Record<string, unknown>;
  paths: { models: string[]; seeds: string[]; macros: string[]; tests: string[] };
  models: ConfigTree;
  seeds: ConfigTree;
  tests: ConfigTree;
}

export interface ModelConfig {
  materialized: Materialization;
  tags: string[];
  /** Columns of `unique_key`; empty when none. */
  uniqueKey: string[];
  incrementalStrategy: IncrementalStrategy;
  /** `pre_hook` / `post_hook` templates as written: SQL run before / after the model is built. */
  hooks: { pre: string[]; post: string[] };
  enabled: boolean;
  meta: Record<string, unknown>;
}

export interface SeedConfig {
  tags: string[];
  enabled: boolean;
  /** Declared column types (`+column_types`), by column name. */
  columnTypes: Record<string, string>;
  delimiter: string;
}

export interface TestConfig {
  severity: Severity;
  tags: string[];
  enabled: boolean;
  /** A SQL filter applied to the tested relation first (dbt's `where`). */
  where: string | undefined;
  /**
   * `written` (the default): after an incremental build, check only the rows the run wrote when
   * that is equivalent to checking the whole table (testScope.ts); `all`: always the whole table.
   */
  scope: TestScope;
}

export type TestScope = "written" | "all";

/**
 * A generic test's variant over the rows an incremental build wrote (`huitou_scratch."<model>"`,
 * or for a source table loaded incrementally `huitou_scratch."source__<table>"`):
 * `rows` reads only them, `keys` counts the written keys over the whole table, `child` checks
 * the written child rows against the whole parent `parent` (a node id).
 */
export interface NarrowedTest {
  kind: "rows" | "keys" | "child";
  sql: MappedSql;
  /** The written rows it reads: the model's batch, or a source's (sourceBatches.ts). */
  relation: string;
  /** For `child`: the parent node's id and the column (`field:`) the child's values must be in. */
  parent: string | undefined;
  parentKey: string | undefined;
}

/** A documented column (schema YAML beside a model or seed). */
export interface ColumnDoc {
  name: string;
  description: string;
  dataType: string | undefined;
  location: Location;
}

/** Descriptions and column docs of one model, seed or source from YAML. */
export interface NodeDocs {
  description: string;
  columns: ColumnDoc[];
  /** The `- name:` entry in its YAML file. */
  location: Location;
}

interface NodeBase {
  /** `model.<project>.<name>` and the like, as in dbt's manifest. */
  id: string;
  name: string;
  /** Project-relative path of the defining file. */
  file: string;
  /** Ids of the nodes this one reads. */
  dependsOn: string[];
}

export interface ModelNode extends NodeBase {
  kind: "model";
  config: ModelConfig;
  /** The SQL as the database runs it (markers stripped, refs resolved), with its line origins. */
  sql: MappedSql;
  /** The relation `"main"."name"` (or the CTE name for an ephemeral model). */
  relation: string;
  docs: NodeDocs | undefined;
  /** Whether `is_incremental()` held while rendering. */
  incremental: boolean;
  /** The rendered `pre_hook` / `post_hook` statements, run on the model's connection. */
  hooks: { pre: MappedSql[]; post: MappedSql[] };
  /** A TypeScript model's definition (tsModel.ts); absent for SQL models, whose `sql` is empty then. */
  program?: TsModel;
}

export interface SeedNode extends NodeBase {
  kind: "seed";
  config: SeedConfig;
  relation: string;
  /** Absolute path of the CSV file. */
  path: string;
  docs: NodeDocs | undefined;
}

export interface SourceNode extends NodeBase {
  kind: "source";
  table: SourceTable;
  relation: string;
}

export interface TestNode extends NodeBase {
  kind: "test";
  config: TestConfig;
  /** Generic test name (`unique`, ...) or `singular`. */
  testType: string;
  /** The node and column under test, when there is one. */
  attachedTo: string | undefined;
  column: string | undefined;
  /** SQL returning the failing rows. */
  sql: MappedSql;
  /** Where to look: the test's YAML entry or its SQL file. */
  location: Location;
  /** The variant over written rows, for a generic test of an incremental model that has one. */
  narrowed?: NarrowedTest;
  /**
   * For a row-local generic test (not_null, accepted_values, accepted_range, expression_is_true)
   * whose `where` and expression read one row alone: the condition a failing row meets, over
   * the tested relation's columns, so one scan can count it with the relation's other such
   * tests (sharedScan.ts). The `where` is in `config`.
   */
  rowCondition?: string;
}

export type Node = ModelNode | SeedNode | SourceNode | TestNode;

/** Everything a run needs, computed without touching the database. */
export interface Plan {
  project: Project;
  nodes: Map<string, Node>;
  /** Project-relative file path → text, for code frames and column mapping. */
  sources: Map<string, string>;
  /** Problems that do not fail the run (documented columns missing and the like). */
  warnings: string[];
  /** The variables the plan was made with (defaults and `--var` overrides). */
  vars: Record<string, unknown>;
}
