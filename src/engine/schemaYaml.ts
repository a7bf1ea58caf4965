/**
 * The YAML beside models and seeds (`models: - name: x, description, config, columns, tests`),
 * read into docs, config layers and test specs, each remembering its YAML position. `sources:`
 * entries belong to the ingest layer and are skipped here.
 */
import { errors, type Location } from "../errors.ts";
import { checkEntry, rawConfigFromYaml } from "./config.ts";
import type { ColumnDoc, NodeDocs, RawConfig } from "./types.ts";
import { isRecord, valueAt, type YamlFile, type YamlPath } from "./yamlFile.ts";

/** One generic test as written: its type, arguments and config, and where it was written. */
export interface TestSpec {
  testType: string;
  /** An explicit `name:`, else undefined (the engine derives one). */
  name: string | undefined;
  args: Record<string, unknown>;
  config: RawConfig;
  column: string | undefined;
  yaml: YamlFile;
  path: YamlPath;
}

export interface SchemaEntry {
  kind: "model" | "seed";
  name: string;
  docs: NodeDocs;
  config: RawConfig;
  tests: TestSpec[];
  yaml: YamlFile;
  path: YamlPath;
}

// Settings that dbt allows on a test directly, besides under `config:`.
const TEST_CONFIG_KEYS = new Set(["severity", "where", "tags", "enabled", "store_failures", "limit"]);

/** The model and seed entries of one schema YAML file. */
export function readSchemaYaml(yaml: YamlFile): SchemaEntry[] {
  const root = yaml.value;
  if (root === null) return [];
  if (!isRecord(root)) throw yaml.fail("a schema file must be a mapping (models:, seeds:, sources:)", []);
  const entries: SchemaEntry[] = [];
  for (const key of ["models", "seeds"] as const) {
    const list = root[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw yaml.fail(`\`${key}\` must be a list of entries with a name`, [key]);
    list.forEach((item: unknown, index) => {
      const path = [key, index];
      if (!isRecord(item) || typeof item.name !== "string") {
        throw yaml.fail(`each entry of \`${key}\` needs a \`name:\``, path);
      }
      entries.push(readEntry(yaml, key === "models" ? "model" : "seed", item, path));
    });
  }
  return entries;
}

function readEntry(
  yaml: YamlFile,
  kind: "model" | "seed",
  item: Record<string, unknown>,
  path: YamlPath,
): SchemaEntry {
  const name = item.name as string;
  const columns: ColumnDoc[] = [];
  const tests = testList(yaml, [...path, testsKey(yaml, item, path)], undefined);
  const rawColumns = item.columns ?? [];
  if (!Array.isArray(rawColumns)) throw yaml.fail("`columns` must be a list", [...path, "columns"]);
  rawColumns.forEach((column: unknown, index) => {
    const columnPath = [...path, "columns", index];
    if (!isRecord(column) || typeof column.name !== "string") {
      throw yaml.fail("each column needs a `name:`", columnPath);
    }
    columns.push({
      name: column.name,
      description: typeof column.description === "string" ? column.description.trim() : "",
      dataType: typeof column.data_type === "string" ? column.data_type : undefined,
      location: yaml.locate([...columnPath, "name"]),
    });
    tests.push(...testList(yaml, [...columnPath, testsKey(yaml, column, columnPath)], column.name));
  });
  return {
    kind,
    name,
    docs: {
      description: typeof item.description === "string" ? item.description.trim() : "",
      columns,
      location: yaml.locate([...path, "name"]),
    },
    config: rawConfigFromYaml(kind, yaml, [...path, "config"]),
    tests,
    yaml,
    path,
  };
}

function testsKey(yaml: YamlFile, item: Record<string, unknown>, path: YamlPath): string {
  if (item.tests !== undefined && item.data_tests !== undefined) {
    throw yaml.fail("use either `data_tests:` or `tests:`, not both", [...path, "tests"], true);
  }
  return item.data_tests !== undefined ? "data_tests" : "tests";
}

function testList(yaml: YamlFile, path: YamlPath, column: string | undefined): TestSpec[] {
  const list = valueAt(yaml.value, path);
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw yaml.fail("tests must be a list", path);
  return list.map((item: unknown, index) => readTest(yaml, [...path, index], item, column));
}

function readTest(yaml: YamlFile, path: YamlPath, item: unknown, column: string | undefined): TestSpec {
  if (typeof item === "string") {
    return { testType: item, name: undefined, args: {}, config: {}, column, yaml, path };
  }
  let testType: string;
  let body: unknown;
  let bodyPath: YamlPath;
  if (isRecord(item) && typeof item.test_name === "string") {
    testType = item.test_name;
    body = item;
    bodyPath = path;
  } else if (isRecord(item) && Object.keys(item).length === 1) {
    testType = Object.keys(item)[0] as string;
    body = item[testType] ?? {};
    bodyPath = [...path, testType];
  } else {
    throw yaml.fail(
      "a test is a name (`- unique`) or a mapping with one key (`- accepted_values: {values: [...]}`)",
      path,
    );
  }
  if (!isRecord(body)) throw yaml.fail(`the arguments of ${testType} must be a mapping`, bodyPath);
  const config = rawConfigFromYaml("test", yaml, [...bodyPath, "config"]);
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === "config" || key === "test_name" || key === "name") continue;
    if (key === "arguments" && isRecord(value)) Object.assign(args, value);
    else if (TEST_CONFIG_KEYS.has(key)) {
      const entry = { value, fail: (message: string) => yaml.fail(message, [...bodyPath, key]) };
      checkEntry("test", key, entry);
      config[key] = entry;
    } else args[key] = value;
  }
  const name = typeof body.name === "string" ? body.name : undefined;
  return { testType, name, args, config, column, yaml, path: bodyPath };
}

/** The tests declared on an ingest source table (no YAML positions there: all blamed on the table). */
export function readSourceTests(table: {
  tests?: unknown[];
  columns: { name: string; tests?: unknown[] }[];
  location: Location;
}): TestSpec[] {
  const yaml: YamlFile = {
    file: table.location.file,
    source: "",
    value: {
      tests: table.tests ?? [],
      columns: table.columns.map((column) => ({ tests: column.tests ?? [] })),
    },
    locate: () => table.location,
    fail: (message) => errors.config(message, table.location),
  };
  return [
    ...testList(yaml, ["tests"], undefined),
    ...table.columns.flatMap((column, index) => testList(yaml, ["columns", index, "tests"], column.name)),
  ];
}
