/**
 * Data tests as plan nodes: generic tests from the YAML beside models and seeds and from source
 * declarations, and singular tests (`tests/**\/*.sql`, failing when they return rows). Each
 * test knows its SQL, its config (severity, where, scope) and where it was written; a generic
 * test of an incremental model also its variant over the rows a build wrote (testScope.ts).
 */
import { basename } from "node:path";
import { codeFrame, errors, type HuitouError, HuitouErrors, type Location } from "../errors.ts";
import { checkEntry, folderLayers, testConfig } from "./config.ts";
import type { TextFile } from "./discover.ts";
import {
  type GenericTestContext,
  type GenericTestName,
  genericTest,
  NARROWING,
  ROW_CONDITIONS,
  type RowLocalTestName,
} from "./genericTests.ts";
import { attributed, finalize, placeholder, trimStatement } from "./lineMap.ts";
import { scratchRelation } from "./materialize.ts";
import type { PlanOptions } from "./plan.ts";
import { readSourceTests, type SchemaEntry, type TestSpec } from "./schemaYaml.ts";
import { sourceBatchRelation } from "./sourceBatches.ts";
import { findPattern, type Renderer } from "./templating.ts";
import type {
  ModelNode,
  NarrowedTest,
  Project,
  RawConfig,
  SeedNode,
  SourceNode,
  TestConfig,
  TestNode,
} from "./types.ts";

export interface TestInputs {
  project: Project;
  renderer: Renderer;
  entries: { model: ReadonlyMap<string, SchemaEntry>; seed: ReadonlyMap<string, SchemaEntry> };
  byName: ReadonlyMap<string, ModelNode | SeedNode>;
  sourceIndex: ReadonlyMap<string, SourceNode>;
  singular: readonly TextFile[];
  options: PlanOptions;
}

type Target = ModelNode | SeedNode | SourceNode;

/** All test nodes of the project; throws HuitouErrors with every problem found. */
export function buildTests(inputs: TestInputs): TestNode[] {
  const { entries, byName, sourceIndex } = inputs;
  const problems: HuitouError[] = [];
  const tests: TestNode[] = [];
  const names = new Set<string>();
  const uniqueName = (base: string) => {
    const clean = base.replace(/[^A-Za-z0-9_]+/g, "_").replace(/_+$/, "");
    let name = clean;
    for (let n = 2; names.has(name); n++) name = `${clean}_${n}`;
    names.add(name);
    return name;
  };
  const add = (work: () => TestNode | undefined) => {
    try {
      const test = work();
      if (test) tests.push(test);
    } catch (error) {
      if (error instanceof HuitouErrors) problems.push(...error.errors);
      else problems.push(error as HuitouError);
    }
  };

  for (const kind of ["model", "seed"] as const) {
    for (const [name, entry] of entries[kind]) {
      const target = byName.get(name);
      if (target?.kind !== kind) continue;
      for (const spec of entry.tests) add(() => genericNode(inputs, spec, target, uniqueName));
    }
  }
  for (const node of sourceIndex.values()) {
    for (const spec of readSourceTests(node.table)) add(() => genericNode(inputs, spec, node, uniqueName));
  }
  for (const file of inputs.singular) add(() => singularNode(inputs, file, uniqueName));
  if (problems.length > 0) throw new HuitouErrors(problems);
  return tests;
}

function genericNode(
  inputs: TestInputs,
  spec: TestSpec,
  target: Target,
  uniqueName: (base: string) => string,
): TestNode | undefined {
  const { project, byName, sourceIndex } = inputs;
  const location = spec.yaml.locate(spec.path, true);
  const fail = (message: string) => spec.yaml.fail(message, spec.path, true);
  const build = genericTest(spec.testType);
  if (!build) {
    throw fail(
      `unknown test '${spec.testType}'; use unique, not_null, accepted_values, relationships, expression_is_true, unique_combination_of_columns or accepted_range, or write a singular test in tests/*.sql`,
    );
  }
  const layers: RawConfig[] = [
    ...folderLayers(
      project.tests,
      project.name,
      target.kind === "source" ? [] : segmentsOfTarget(target, project),
    ),
    spec.config,
  ];
  const config = testConfig(layers);
  if (!config.enabled) return undefined;
  const dependsOn = [target.id];
  const relation = config.where
    ? `(select * from ${target.relation} where ${config.where})`
    : target.relation;
  const resolve = (expression: string): string => {
    const ref = /^\s*ref\(\s*['"]([^'"]+)['"]\s*\)\s*$/.exec(expression);
    if (ref) {
      const node = byName.get(ref[1] as string);
      if (!node) throw errors.missingRef(ref[1] as string, location);
      if (!dependsOn.includes(node.id)) dependsOn.push(node.id);
      return node.relation;
    }
    const source = /^\s*source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*$/.exec(expression);
    if (source) {
      const node = sourceIndex.get(`${source[1]}.${source[2]}`);
      if (!node) throw fail(`source('${source[1]}', '${source[2]}') is not declared in sources/*.yml`);
      if (!dependsOn.includes(node.id)) dependsOn.push(node.id);
      return node.relation;
    }
    throw fail(`write the related relation as ref('name') or source('name', 'table'), not '${expression}'`);
  };
  const context = { relation, column: spec.column, args: spec.args, resolve, fail };
  const sql = build(context);
  const bare = spec.testType.replace(/^.*\./, "");
  // Sources too: a table the ingest merged into or kept has its written rows (sourceBatches.ts).
  const written =
    target.kind === "source"
      ? sourceBatchRelation(target.table.name)
      : target.kind === "model" && target.config.materialized === "incremental"
        ? scratchRelation(target.name)
        : undefined;
  const narrowed =
    written === undefined
      ? undefined
      : narrowedVariant(
          bare as GenericTestName,
          context,
          build,
          target,
          written,
          config,
          location,
          dependsOn,
        );
  const name = uniqueName(spec.name ?? [bare, target.name, spec.column].filter(Boolean).join("_"));
  const rowCondition = sharedScanCondition(bare, context, config);
  return {
    kind: "test",
    id: `test.${project.name}.${name}`,
    name,
    file: location.file,
    dependsOn,
    config,
    testType: bare,
    attachedTo: target.id,
    column: spec.column,
    sql: attributed(sql, location),
    location,
    ...(narrowed ? { narrowed } : {}),
    ...(rowCondition ? { rowCondition } : {}),
  };
}

// A subquery or a window reads other rows: such a test runs alone, never in a shared scan.
const READS_OTHER_ROWS = /\bselect\b|\bover\s*\(/i;

/** The failing-row condition of a row-local test that may share a scan; undefined otherwise. */
function sharedScanCondition(
  testType: string,
  context: GenericTestContext,
  config: TestConfig,
): string | undefined {
  if (!Object.hasOwn(ROW_CONDITIONS, testType)) return undefined;
  const condition = ROW_CONDITIONS[testType as RowLocalTestName]({ ...context, relation: "" });
  if (READS_OTHER_ROWS.test(condition) || (config.where && READS_OTHER_ROWS.test(config.where)))
    return undefined;
  return condition;
}

// A filter that reads other rows or tables, or the clock, can change its verdict on a kept row.
const NOT_ROW_LOCAL =
  /\bselect\b|\bover\s*\(|\b(current_date|current_time|current_timestamp|now|today|get_current_time|get_current_timestamp|random|uuid|gen_random_uuid)\b/i;

/**
 * The variant of a generic test of an incremental model over the rows the build wrote
 * (testScope.ts decides at run time whether it may replace the whole test); undefined when
 * the test's `where` or expression is not a condition on one row alone.
 */
function narrowedVariant(
  testType: GenericTestName,
  context: GenericTestContext,
  build: (context: GenericTestContext) => string,
  target: Target,
  scratch: string,
  config: TestConfig,
  location: Location,
  dependsOn: readonly string[],
): NarrowedTest | undefined {
  const kind = NARROWING[testType];
  const expression = context.args.expression;
  if (
    (config.where && NOT_ROW_LOCAL.test(config.where)) ||
    (typeof expression === "string" && NOT_ROW_LOCAL.test(expression))
  )
    return undefined;
  const written = config.where ? `(select * from ${scratch} where ${config.where})` : scratch;
  const sql = kind === "keys" ? build({ ...context, written }) : build({ ...context, relation: written });
  // The whole test resolved `to:` first: the node after the target (or the target itself).
  const parent = kind === "child" ? (dependsOn[1] ?? target.id) : undefined;
  const field = context.args.field;
  return {
    kind,
    sql: attributed(sql, location),
    relation: scratch,
    parent,
    parentKey: typeof field === "string" ? field : undefined,
  };
}

function segmentsOfTarget(target: ModelNode | SeedNode, project: Project): string[] {
  const roots = target.kind === "model" ? project.paths.models : project.paths.seeds;
  const root = roots.find((candidate) => target.file.startsWith(`${candidate}/`));
  const parts = (root ? target.file.slice(root.length + 1) : target.file).split("/");
  parts.pop();
  return [...parts, target.name];
}

function singularNode(
  inputs: TestInputs,
  file: TextFile,
  uniqueName: (base: string) => string,
): TestNode | undefined {
  const { project, renderer, byName, sourceIndex } = inputs;
  const dependsOn: string[] = [];
  const missing: string[] = [];
  const inline: RawConfig = {};
  const configAt = findPattern(file.source, /\bconfig\s*\(/);
  const raw = renderer.render(file.file, file.source, {
    ref(name) {
      const node = byName.get(name);
      if (!node) missing.push(name);
      else if (!dependsOn.includes(node.id)) dependsOn.push(node.id);
      return placeholder(`ref:${name}`);
    },
    source(source, table) {
      const node = sourceIndex.get(`${source}.${table}`);
      if (!node) {
        missing.push(`${source}.${table}`);
        return "__missing_source__";
      }
      if (!dependsOn.includes(node.id)) dependsOn.push(node.id);
      return node.relation;
    },
    config(values) {
      for (const [key, value] of Object.entries(values)) {
        inline[key] = {
          value,
          fail: (message) =>
            errors.config(
              message,
              { file: file.file, ...configAt },
              configAt ? codeFrame(file.source, configAt.line, configAt.column) : undefined,
            ),
        };
      }
    },
    isIncremental: () => false,
    this: "",
  });
  const problems: HuitouError[] = [];
  for (const name of missing) {
    const at = findPattern(file.source, new RegExp(`['"]${name.split(".").pop()}['"]`));
    problems.push(
      name.includes(".")
        ? errors.source(`source ${name} is not declared in sources/*.yml`, { file: file.file, ...at })
        : errors.missingRef(name, { file: file.file, ...at }),
    );
  }
  for (const [key, entry] of Object.entries(inline)) {
    try {
      checkEntry("test", key, entry);
    } catch (error) {
      problems.push(error as HuitouError);
    }
  }
  if (problems.length > 0) throw new HuitouErrors(problems);
  const parts = file.file.split("/").slice(1);
  parts.pop();
  const config = testConfig([...folderLayers(project.tests, project.name, parts), inline]);
  if (!config.enabled) return undefined;
  const sql = finalize(raw, file.file, (key) => byName.get(key.slice("ref:".length))?.relation ?? key);
  const name = uniqueName(basename(file.file, ".sql"));
  return {
    kind: "test",
    id: `test.${project.name}.${name}`,
    name,
    file: file.file,
    dependsOn,
    config,
    testType: "singular",
    attachedTo: undefined,
    column: undefined,
    sql: trimStatement(sql),
    location: { file: file.file, line: 1 },
  };
}
