/**
 * Node configuration as dbt layers it: folder configs of the project file (`+materialized`,
 * `+tags`, ...), then the `config:` block in the YAML beside a node, then `config()` in the
 * model itself; later layers win, tags accumulate. Each value is validated where it is written,
 * so a typo points at its own line.
 */
import type {
  ConfigEntry,
  ConfigTree,
  IncrementalStrategy,
  Materialization,
  ModelConfig,
  RawConfig,
  SeedConfig,
  Severity,
  TestConfig,
  TestScope,
} from "./types.ts";
import { isRecord, valueAt, type YamlFile, type YamlPath } from "./yamlFile.ts";

export type ConfigKind = "model" | "seed" | "test";

type Check = (entry: ConfigEntry) => void;

const MATERIALIZATIONS: Materialization[] = ["view", "table", "incremental", "ephemeral"];

const oneOf =
  (name: string, allowed: string[]): Check =>
  (entry) => {
    if (typeof entry.value !== "string" || !allowed.includes(entry.value.toLowerCase())) {
      throw entry.fail(`${name} must be one of ${allowed.join(", ")}; got ${JSON.stringify(entry.value)}`);
    }
  };
const stringOrList =
  (name: string): Check =>
  (entry) => {
    const { value } = entry;
    if (typeof value === "string") return;
    if (Array.isArray(value) && value.every((item) => typeof item === "string")) return;
    throw entry.fail(`${name} must be a name or a list of names; got ${JSON.stringify(value)}`);
  };
const boolean =
  (name: string): Check =>
  (entry) => {
    if (typeof entry.value !== "boolean") throw entry.fail(`${name} must be true or false`);
  };
const mapping =
  (name: string): Check =>
  (entry) => {
    if (!isRecord(entry.value)) throw entry.fail(`${name} must be a mapping`);
  };
const text =
  (name: string): Check =>
  (entry) => {
    if (typeof entry.value !== "string") throw entry.fail(`${name} must be a string`);
  };
const ignored: Check = () => {};
const unsupported =
  (why: string): Check =>
  (entry) => {
    throw entry.fail(why);
  };

// dbt settings that change nothing here (one schema, no grants, docs always on) are accepted.
const COMMON: Record<string, Check> = {
  tags: stringOrList("tags"),
  enabled: boolean("enabled"),
  meta: mapping("meta"),
  schema: ignored,
  database: ignored,
  docs: ignored,
  persist_docs: ignored,
  grants: ignored,
  group: ignored,
  access: ignored,
  quoting: ignored,
  full_refresh: ignored,
  alias: unsupported(
    "alias is not supported: every relation is named after its file; rename the file instead",
  ),
};

const CHECKS: Record<ConfigKind, Record<string, Check>> = {
  model: {
    ...COMMON,
    materialized: oneOf("materialized", MATERIALIZATIONS),
    unique_key: stringOrList("unique_key"),
    incremental_strategy: oneOf("incremental_strategy", ["append", "merge", "delete+insert"]),
    pre_hook: stringOrList("pre_hook"),
    post_hook: stringOrList("post_hook"),
    on_schema_change: ignored,
    contract: ignored,
    sql_header: ignored,
  },
  seed: {
    ...COMMON,
    column_types: (entry) => {
      const { value } = entry;
      if (!isRecord(value) || !Object.values(value).every((type) => typeof type === "string")) {
        throw entry.fail("column_types must map column names to SQL types, e.g. {amount: decimal(18,2)}");
      }
    },
    delimiter: (entry) => {
      if (typeof entry.value !== "string" || entry.value.length !== 1) {
        throw entry.fail("delimiter must be one character");
      }
    },
    quote_columns: ignored,
  },
  test: {
    ...COMMON,
    severity: oneOf("severity", ["error", "warn"]),
    where: text("where"),
    scope: oneOf("scope", ["written", "all"]),
    store_failures: ignored,
    limit: ignored,
    warn_if: unsupported("warn_if is not supported: a test fails when it returns any row; use severity"),
    error_if: unsupported("error_if is not supported: a test fails when it returns any row; use severity"),
    fail_calc: unsupported("fail_calc is not supported: a test fails when it returns any row"),
  },
};

/** Validates one entry of a `kind` config; throws its config error. */
export function checkEntry(kind: ConfigKind, key: string, entry: ConfigEntry): void {
  const check = CHECKS[kind][key];
  if (!check) {
    throw entry.fail(
      `unknown ${kind} config '${key}'; known: ${Object.keys(CHECKS[kind]).sort().join(", ")}`,
    );
  }
  check(entry);
}

/** Whether `key` (without `+`) is a config of `kind`, so a folder may not be named so. */
export function isConfigKey(kind: ConfigKind, key: string): boolean {
  return key in CHECKS[kind];
}

/** Reads a `config:` mapping (YAML beside a node) at `path` into a validated RawConfig. */
export function rawConfigFromYaml(kind: ConfigKind, yaml: YamlFile, path: YamlPath): RawConfig {
  const value = valueAt(yaml.value, path);
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw yaml.fail("config must be a mapping", path);
  const raw: RawConfig = {};
  for (const [key, item] of Object.entries(value)) {
    const entry = { value: item, fail: (message: string) => yaml.fail(message, [...path, key]) };
    checkEntry(kind, key, entry);
    raw[key] = entry;
  }
  return raw;
}

/** Reads a folder-config tree (`models:` of the project file): `+key` are configs, others folders. */
export function configTree(kind: ConfigKind, yaml: YamlFile, path: YamlPath): ConfigTree {
  const tree: ConfigTree = { config: {}, children: {} };
  const value = valueAt(yaml.value, path);
  if (value === undefined || value === null) return tree;
  if (!isRecord(value)) throw yaml.fail(`${String(path[path.length - 1])} must be a mapping`, path);
  for (const [key, item] of Object.entries(value)) {
    const bare = key.startsWith("+") ? key.slice(1) : key;
    const explicit = key.startsWith("+");
    if (
      explicit ||
      (isConfigKey(kind, bare) && (!isRecord(item) || bare === "meta" || bare === "column_types"))
    ) {
      const entry = { value: item, fail: (message: string) => yaml.fail(message, [...path, key]) };
      checkEntry(kind, bare, entry);
      tree.config[bare] = entry;
    } else if (isRecord(item) || item === null) {
      tree.children[key] = configTree(kind, yaml, [...path, key]);
    } else {
      throw yaml.fail(
        `'${key}' is neither a folder (a mapping) nor a ${kind} config; write configs with a plus: '+${key}'`,
        [...path, key],
        true,
      );
    }
  }
  return tree;
}

/** The folder-config layers that apply to `segments` (folders, then the node's name), outermost first. */
export function folderLayers(tree: ConfigTree, projectName: string, segments: string[]): RawConfig[] {
  const layers: RawConfig[] = [tree.config];
  let node = tree;
  const project = tree.children[projectName];
  if (project) {
    node = project;
    layers.push(project.config);
  }
  for (const segment of segments) {
    const next = node.children[segment];
    if (!next) break;
    node = next;
    layers.push(next.config);
  }
  return layers;
}

/** Merges layers: last wins; tags accumulate, meta merges. */
function merge(layers: RawConfig[]): { values: Record<string, unknown>; tags: string[] } {
  const values: Record<string, unknown> = {};
  const tags: string[] = [];
  for (const layer of layers) {
    for (const [key, entry] of Object.entries(layer)) {
      if (key === "tags") {
        for (const tag of typeof entry.value === "string" ? [entry.value] : (entry.value as string[])) {
          if (!tags.includes(tag)) tags.push(tag);
        }
      } else if (key === "meta") {
        values.meta = { ...(values.meta as object | undefined), ...(entry.value as object) };
      } else {
        values[key] = entry.value;
      }
    }
  }
  return { values, tags };
}

const list = (value: unknown): string[] =>
  value === undefined ? [] : typeof value === "string" ? [value] : (value as string[]);

export function modelConfig(layers: RawConfig[]): ModelConfig {
  const { values, tags } = merge(layers);
  const strategy = String(values.incremental_strategy ?? "").toLowerCase();
  const uniqueKey = list(values.unique_key).flatMap((key) => key.split(",").map((part) => part.trim()));
  return {
    materialized: String(values.materialized ?? "view").toLowerCase() as Materialization,
    tags,
    uniqueKey,
    // With a unique_key dbt merges; without one it can only append.
    incrementalStrategy: (strategy === "append" || (strategy === "" && uniqueKey.length === 0)
      ? "append"
      : "merge") as IncrementalStrategy,
    hooks: { pre: list(values.pre_hook), post: list(values.post_hook) },
    enabled: values.enabled !== false,
    meta: (values.meta as Record<string, unknown> | undefined) ?? {},
  };
}

export function seedConfig(layers: RawConfig[]): SeedConfig {
  const { values, tags } = merge(layers);
  return {
    tags,
    enabled: values.enabled !== false,
    columnTypes: (values.column_types as Record<string, string> | undefined) ?? {},
    delimiter: (values.delimiter as string | undefined) ?? ",",
  };
}

export function testConfig(layers: RawConfig[]): TestConfig {
  const { values, tags } = merge(layers);
  return {
    severity: String(values.severity ?? "error").toLowerCase() as Severity,
    tags,
    enabled: values.enabled !== false,
    where: values.where as string | undefined,
    scope: String(values.scope ?? "written").toLowerCase() as TestScope,
  };
}
