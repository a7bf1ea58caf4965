/**
 * One engine run, start to end: load the project, open the next warehouse (or the published one
 * read-only for tests alone), plan, load sources, build seeds and models in parallel, run the
 * data tests, publish the warehouse only if nothing failed, and write the artifacts. The CLI
 * commands (run, test, build) are thin callers of `runProject`.
 */
import { join } from "node:path";
import { errors, type HuitouError, HuitouErrors } from "../errors.ts";
import type { SourceTable } from "../ingest/api.ts";
import { loadSources } from "../ingest/loadSources.ts";
import type { Adapter } from "./adapters/adapter.ts";
import { openDuckDB } from "./adapters/duckdb.ts";
import { topologicalOrder } from "./dag.ts";
import type { Effects } from "./effects.ts";
import { runModel, runSeed, runTest, SHOWN_FAILURES } from "./execute.ts";
import { type Columns, manifestFile } from "./manifest.ts";
import { loadPlan } from "./loadPlan.ts";
import { loadProject } from "./project.ts";
import { type NodeResult, runResultsFile, type Status } from "./results.ts";
import { schedule } from "./scheduler.ts";
import { selectNodes, selectTests } from "./selection.ts";
import { StatementTimer } from "./timedAdapter.ts";
import type { ModelNode, Node, Plan, SeedNode, TestNode } from "./types.ts";
import { resolveVars, type VarValue } from "./vars.ts";
import { type NextWarehouse, type Open, openNext, openPublished, warehousePaths } from "./warehouse.ts";

export interface RunRequest {
  /** Absolute path of the project folder. */
  projectDir: string;
  invocation: "run" | "test" | "build";
  steps: { sources: boolean; seeds: boolean; models: boolean; tests: boolean };
  select?: string;
  exclude?: string;
  /** `--var` overrides: text as typed on the command line (cast), or typed values. */
  vars?: Record<string, VarValue>;
  fullRefresh?: boolean;
  /** `--data DIR` for the sources. */
  dataDir?: string;
  /** Connections building at once (default 4). */
  threads?: number;
  /** Runs on the next warehouse after models and tests succeeded, before it is published. */
  beforePublish?: (warehouse: Adapter, plan: Plan) => Promise<void>;
  /** The database; DuckDB unless a test passes another. */
  open?: Open;
  env?: Record<string, string | undefined>;
}

export interface RunOutcome {
  plan: Plan;
  results: NodeResult[];
  /** What failed the run (failed nodes, error-severity test failures); empty on success. */
  failures: HuitouError[];
  warnings: string[];
  published: boolean;
  wallMs: number;
  /** Time during which a database statement was running. */
  databaseMs: number;
}

const VERSION = "0.1.0";

/** Runs the requested steps; throws for problems found before anything ran (plan, config). */
export async function runProject(request: RunRequest, effects: Effects): Promise<RunOutcome> {
  const { fs, logger, clock } = effects;
  const started = clock.now();
  const project = await loadProject(request.projectDir, fs);
  const vars = resolveVars(project.vars, request.vars ?? {});
  const timer = new StatementTimer(clock);
  const open = request.open ?? openDuckDB;
  const timedOpen: Open = async (path, options) => timer.wrap(await open(path, options));
  const paths = warehousePaths(request.projectDir);
  const { steps } = request;
  const writes = steps.sources || steps.seeds || steps.models;
  let next: NextWarehouse | undefined;
  let adapter: Adapter;
  if (writes) {
    next = await openNext(paths, fs, timedOpen);
    adapter = next.adapter;
  } else {
    adapter = await openPublished(paths, fs, timedOpen);
  }
  const pool: Adapter[] = [adapter];
  let finished = false;
  const release = async (publish: boolean) => {
    finished = true;
    for (const connection of pool.slice(1)) await connection.close();
    if (!next) await adapter.close();
    else if (publish) await next.publish();
    else await next.discard();
  };
  try {
    const relations = await adapter.listRelations();
    const existing = new Map(
      relations
        .filter((relation) => relation.schema === "main")
        .map((relation) => [relation.name, relation.kind]),
    );
    const present = new Set(relations.map((relation) => `${relation.schema}.${relation.name}`));
    const plan = await loadPlan(project, fs, {
      vars,
      fullRefresh: request.fullRefresh ?? false,
      existing,
      env: request.env ?? process.env,
    });
    const tables = [...plan.nodes.values()].flatMap((node) => (node.kind === "source" ? [node.table] : []));
    const warnings = [...plan.warnings];
    for (const warning of plan.warnings) logger.warn(warning);
    const threads = Math.max(1, request.threads ?? 4);
    while (pool.length < threads && adapter.connect) pool.push(await adapter.connect());

    const results: NodeResult[] = [];
    const record = (result: NodeResult) => {
      results.push(result);
      logger.info(resultLine(result));
    };
    let sourcesFailed = false;
    if (steps.sources) {
      sourcesFailed = !(await loadSourceStep(
        adapter,
        tables,
        plan,
        request,
        String(vars.timezone ?? "Asia/Shanghai"),
        effects,
        record,
      ));
      for (const table of tables) present.add(table.relation);
    }
    const chosen = selectNodes(plan, request.select, request.exclude, existing);
    if ((steps.seeds || steps.models) && !sourcesFailed) {
      const ids = topologicalOrder(
        new Map(
          [...plan.nodes.values()]
            .filter(
              (node) =>
                chosen.has(node.id) &&
                (node.kind === "seed" ? steps.seeds : node.kind === "model" && steps.models),
            )
            .map((node) => [node.id, node.dependsOn]),
        ),
      );
      await buildStep(ids, plan, pool, existing, effects, record);
    }
    if (steps.tests && !sourcesFailed) {
      const tests = selectTests(plan, request.select, request.exclude);
      await testStep(tests, plan, pool, present, results, effects, record, (result) => results.push(result));
    }
    if (sourcesFailed) {
      for (const node of plan.nodes.values()) {
        if (node.kind === "model" || node.kind === "test") record(skipped(node, "the sources did not load"));
      }
    }

    const columns = await describe(adapter);
    for (const warning of documentedColumns(plan, columns)) {
      warnings.push(warning);
      logger.warn(warning);
    }
    const failures = results
      .filter((result) => result.status === "error" || result.status === "fail")
      .map((result) => result.error)
      .filter((error): error is HuitouError => error !== undefined);
    const ok = failures.length === 0;
    if (next && ok && request.beforePublish) await request.beforePublish(adapter, plan);
    await release(ok);
    const wallMs = clock.now() - started;
    await writeArtifacts(plan, results, columns, request, vars, wallMs, effects);
    return {
      plan,
      results,
      failures,
      warnings,
      published: next !== undefined && ok,
      wallMs,
      databaseMs: timer.busy(),
    };
  } catch (error) {
    if (!finished) await release(false);
    throw error;
  }
}

async function loadSourceStep(
  adapter: Adapter,
  tables: SourceTable[],
  plan: Plan,
  request: RunRequest,
  timezone: string,
  effects: Effects,
  record: (result: NodeResult) => void,
): Promise<boolean> {
  const { clock, logger } = effects;
  const began = clock.now();
  const startedAt = clock.date().toISOString();
  const node = (name: string) =>
    [...plan.nodes.values()].find((one) => one.kind === "source" && one.name === name) as Node | undefined;
  try {
    const reports = await loadSources(adapter, tables, {
      projectDir: request.projectDir,
      ...(request.dataDir ? { dataDir: request.dataDir } : {}),
      timezone,
      onProgress: (message) => logger.progress(message),
    });
    for (const report of reports) {
      const source = node(report.table);
      record({
        id: source?.id ?? `source.${plan.project.name}.${report.table}`,
        kind: "source",
        name: report.table,
        status: "success",
        startedAt,
        completedAt: clock.date().toISOString(),
        executionTime: (clock.now() - began) / 1000,
        rowsAffected: report.rowsLoaded,
        failures: report.rowsRejected,
        message: `${report.rowsLoaded} rows loaded, ${report.rowsRejected} rejected${report.files.length ? ` (${report.files.join(", ")})` : " (no file: empty)"}`,
        error: undefined,
      });
    }
    return true;
  } catch (error) {
    const list = error instanceof HuitouErrors ? error.errors : [error];
    for (const one of list) {
      if (!(one instanceof Error) || !("kind" in one)) throw error;
      record({
        id: `source.${plan.project.name}`,
        kind: "source",
        name: "sources",
        status: "error",
        startedAt,
        completedAt: clock.date().toISOString(),
        executionTime: (clock.now() - began) / 1000,
        rowsAffected: null,
        failures: null,
        message: one.message,
        error: one as HuitouError,
      });
    }
    return false;
  }
}

async function buildStep(
  ids: string[],
  plan: Plan,
  pool: Adapter[],
  existing: Map<string, "table" | "view">,
  effects: Effects,
  record: (result: NodeResult) => void,
): Promise<void> {
  const { clock, logger, fs } = effects;
  const built = new Set(ids);
  const running = new Set<string>();
  let done = 0;
  const hint = (message: string): string | undefined => {
    const missing = /Table with name (\S+?) does not exist/.exec(message)?.[1]?.replace(/^.*\./, "");
    if (!missing) return undefined;
    const model = [...plan.nodes.values()].find((node) => node.kind !== "test" && node.name === missing);
    if (model?.kind === "source")
      return "sources are loaded by `huitou build`; run it once before `huitou run`";
    if (model && !built.has(model.id)) {
      return `${missing} is not in the warehouse yet: build it in the same run, e.g. huitou run --select +${missing}`;
    }
    return undefined;
  };
  await schedule(ids, (id) => plan.nodes.get(id)?.dependsOn ?? [], pool, {
    async work(id, connection) {
      const node = plan.nodes.get(id) as ModelNode | SeedNode;
      running.add(node.name);
      logger.progress(`${done}/${ids.length} done; running ${[...running].join(", ")}`);
      const began = clock.now();
      const startedAt = clock.date().toISOString();
      let status: Status = "success";
      let outcome: { rows: number | null; message: string } = { rows: null, message: "" };
      let error: HuitouError | undefined;
      try {
        outcome =
          node.kind === "seed"
            ? await runSeed(node, connection, (path) => fs.readText(path))
            : await runModel(node, connection, plan, existing.get(node.name), hint);
      } catch (caught) {
        if (!(caught instanceof Error) || !("kind" in caught)) throw caught;
        error = caught as HuitouError;
        status = "error";
        outcome = { rows: null, message: error.message };
      }
      running.delete(node.name);
      done++;
      record({
        id,
        kind: node.kind,
        name: node.name,
        status,
        startedAt,
        completedAt: clock.date().toISOString(),
        executionTime: (clock.now() - began) / 1000,
        rowsAffected: outcome.rows,
        failures: null,
        message: outcome.message,
        error,
      });
      return status === "success" ? "ok" : "failed";
    },
    skip(id, because) {
      const node = plan.nodes.get(id) as Node;
      record(skipped(node, `${plan.nodes.get(because)?.name ?? because} did not build`));
    },
  });
}

async function testStep(
  tests: TestNode[],
  plan: Plan,
  pool: Adapter[],
  present: Set<string>,
  earlier: readonly NodeResult[],
  effects: Effects,
  record: (result: NodeResult) => void,
  recordQuietly: (result: NodeResult) => void,
): Promise<void> {
  const { clock, logger } = effects;
  const broken = new Map(
    earlier
      .filter((result) => result.status === "error" || result.status === "skipped")
      .map((result) => [result.id, result]),
  );
  const runnable: TestNode[] = [];
  const unloaded = new Set<string>();
  for (const test of tests) {
    const blocked = test.dependsOn.find((id) => broken.has(id));
    const source = test.dependsOn.map((id) => plan.nodes.get(id)).find((node) => node?.kind === "source");
    if (blocked) record(skipped(test, `${plan.nodes.get(blocked)?.name ?? blocked} did not build`));
    else if (source?.kind === "source" && !present.has(source.relation)) {
      // Sources not loaded yet (a project run without build): one line, not one per test.
      unloaded.add(source.relation);
      recordQuietly(skipped(test, `${source.relation} is not loaded (huitou build loads sources)`));
    } else runnable.push(test);
  }
  if (unloaded.size > 0) {
    logger.info(
      `skip   tests of sources not loaded yet (${[...unloaded].join(", ")}): huitou build loads them`,
    );
  }
  let done = 0;
  await schedule(
    runnable.map((test) => test.id),
    () => [],
    pool,
    {
      async work(id, connection) {
        const test = plan.nodes.get(id) as TestNode;
        logger.progress(`${done}/${runnable.length} tests done; running ${test.name}`);
        const began = clock.now();
        const startedAt = clock.date().toISOString();
        let status: Status = "pass";
        let failures: number | null = 0;
        let message = "pass";
        let error: HuitouError | undefined;
        try {
          const outcome = await runTest(test, connection, plan);
          failures = outcome.failures;
          if (outcome.failures > 0) {
            status = test.config.severity === "warn" ? "warn" : "fail";
            const advice =
              status === "warn" ? "severity warn: the run goes on" : "fix the data or the model, or make the test severity: warn";
            message = `${outcome.failures} failing ${outcome.failures === 1 ? "row" : "rows"} in test ${test.name}${outcome.failures > SHOWN_FAILURES ? ` (first ${SHOWN_FAILURES} shown)` : ""}; ${advice}\n${outcome.shown.trimEnd()}`;
            error = errors.testFailed(message, test.location);
          }
        } catch (caught) {
          if (!(caught instanceof Error) || !("kind" in caught)) throw caught;
          error = caught as HuitouError;
          status = "error";
          failures = null;
          message = error.message;
        }
        done++;
        if (status === "warn")
          logger.warn(`warning: ${test.location.file}:${test.location.line}: ${message}`);
        record({
          id,
          kind: "test",
          name: test.name,
          status,
          startedAt,
          completedAt: clock.date().toISOString(),
          executionTime: (clock.now() - began) / 1000,
          rowsAffected: null,
          failures,
          message,
          error,
        });
        return "ok";
      },
      skip() {},
    },
  );
}

function skipped(node: Node, why: string): NodeResult {
  return {
    id: node.id,
    kind: node.kind,
    name: node.name,
    status: "skipped",
    startedAt: undefined,
    completedAt: undefined,
    executionTime: 0,
    rowsAffected: null,
    failures: null,
    message: `skipped: ${why}`,
    error: undefined,
  };
}

/** One log line per finished node: `ok     model  stg_orders  table built: 12 rows (0.03s)`. */
export function resultLine(result: NodeResult): string {
  const label = { success: "ok", error: "ERROR", skipped: "skip", pass: "pass", fail: "FAIL", warn: "warn" }[
    result.status
  ];
  const first = result.message.split("\n")[0];
  const time = result.startedAt ? ` (${result.executionTime.toFixed(2)}s)` : "";
  return `${label.padEnd(6)} ${result.kind.padEnd(6)} ${result.name}  ${first}${time}`;
}

async function describe(adapter: Adapter): Promise<Columns> {
  const { rows } = await adapter.query(
    `select table_name, column_name, data_type from information_schema.columns
     where table_schema = 'main' and table_catalog = current_database()
     order by table_name, ordinal_position`,
  );
  const columns = new Map<string, { name: string; type: string }[]>();
  for (const row of rows) {
    const table = String(row.table_name);
    if (!columns.has(table)) columns.set(table, []);
    columns.get(table)?.push({ name: String(row.column_name), type: String(row.data_type) });
  }
  return columns;
}

/** Warnings for documented columns that a model or seed in the warehouse does not have. */
function documentedColumns(plan: Plan, columns: Columns): string[] {
  const warnings: string[] = [];
  for (const node of plan.nodes.values()) {
    if ((node.kind !== "model" && node.kind !== "seed") || !node.docs) continue;
    const actual = columns.get(node.name);
    if (!actual) continue;
    const names = new Set(actual.map((column) => column.name.toLowerCase()));
    for (const doc of node.docs.columns) {
      if (!names.has(doc.name.toLowerCase())) {
        warnings.push(
          `warning: ${doc.location.file}:${doc.location.line}:${doc.location.column}: column '${doc.name}' is documented for ${node.kind} ${node.name}, which has no such column (it has ${actual.map((column) => column.name).join(", ")}); fix the name or remove the entry`,
        );
      }
    }
  }
  return warnings;
}

async function writeArtifacts(
  plan: Plan,
  results: NodeResult[],
  columns: Columns,
  request: RunRequest,
  vars: Record<string, unknown>,
  wallMs: number,
  effects: Effects,
): Promise<void> {
  const generatedAt = effects.clock.date();
  const target = join(request.projectDir, "target");
  const manifest = manifestFile(plan, columns, {
    version: VERSION,
    generatedAt,
    invocation: request.invocation,
    vars,
  });
  await effects.fs.writeAtomic(join(target, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const runResults = runResultsFile(results, {
    version: VERSION,
    generatedAt,
    invocation: request.invocation,
    elapsedMs: wallMs,
    args: {
      select: request.select ?? null,
      exclude: request.exclude ?? null,
      vars: request.vars ?? {},
      full_refresh: request.fullRefresh ?? false,
    },
  });
  await effects.fs.writeAtomic(join(target, "run_results.json"), `${JSON.stringify(runResults, null, 2)}\n`);
}
