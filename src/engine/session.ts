/**
 * One engine run, start to end: load the project, open the next warehouse (or the published one
 * read-only for tests alone), plan, load sources, build seeds and models in parallel, run the
 * data tests, publish the warehouse only if nothing failed, and write the artifacts. The CLI
 * commands (run, test, build) are thin callers of `runProject`.
 */
import { join } from "node:path";
import type { HuitouError } from "../errors.ts";
import type { Adapter } from "./adapters/adapter.ts";
import { openDuckDB } from "./adapters/duckdb.ts";
import { describe, documentedColumns, writeArtifacts } from "./artifacts.ts";
import { buildStep } from "./buildStep.ts";
import { topologicalOrder } from "./dag.ts";
import type { Effects } from "./effects.ts";
import { definitionHashes, readState, staleModels, writeState } from "./incrementalState.ts";
import { loadPlan } from "./loadPlan.ts";
import { SCRATCH_SCHEMA, strategyOf } from "./materialize.ts";
import { longestChainFirst, previousSeconds } from "./priority.ts";
import { loadProject } from "./project.ts";
import { type NodeResult, resultLine, skipped } from "./results.ts";
import { rebuildsAll, selectNodes, selectTests } from "./selection.ts";
import { type SourceBatches, sourceBatches } from "./sourceBatches.ts";
import { loadSourceStep } from "./sourceStep.ts";
import { readTestState, testStateChanges, writeTestState } from "./testState.ts";
import { testStep } from "./testStep.ts";
import { StatementTimer } from "./timedAdapter.ts";
import type { Plan } from "./types.ts";
import { resolveVars, type VarValue } from "./vars.ts";
import {
  type NextWarehouse,
  type Open,
  openNext,
  openPublished,
  publishedRelations,
  publishedState,
  warehousePaths,
} from "./warehouse.ts";

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

/** The seed files' contents by node id, for the incremental models' definition hashes. */
async function seedTexts(plan: Plan, fs: Effects["fs"]): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const node of plan.nodes.values()) {
    if (node.kind === "seed") texts.set(node.id, await fs.readText(node.path));
  }
  return texts;
}

/**
 * Rows written by each model built incrementally this run (append or merge, so its batch is in
 * the scratch schema), by node id; a model with a post_hook is left out: the hook may change rows.
 */
function writtenRows(plan: Plan, results: readonly NodeResult[]): Map<string, number> {
  const written = new Map<string, number>();
  for (const result of results) {
    const node = plan.nodes.get(result.id);
    if (result.status !== "success" || node?.kind !== "model" || node.program) continue;
    const strategy = strategyOf(node);
    if (strategy !== "append" && strategy !== "merge") continue;
    if (node.hooks.post.some((hook) => hook.text.trim() !== "")) continue;
    written.set(node.id, result.rowsAffected ?? 0);
  }
  return written;
}

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
  // Plan against what the published warehouse holds (is_incremental, view or table), read-only.
  let adapter: Adapter | undefined = writes ? undefined : await openPublished(paths, fs, timedOpen);
  let next: NextWarehouse | undefined;
  let plan: Plan;
  let chosen: Set<string>;
  let existing: Map<string, "table" | "view">;
  let present: Set<string>;
  let hashes: Map<string, string>;
  try {
    const relations = adapter
      ? await adapter.listRelations()
      : await publishedRelations(paths, fs, timedOpen);
    existing = new Map(
      relations
        .filter((relation) => relation.schema === "main")
        .map((relation) => [relation.name, relation.kind]),
    );
    present = new Set(relations.map((relation) => `${relation.schema}.${relation.name}`));
    const planWith = (kept: ReadonlyMap<string, "table" | "view">) =>
      loadPlan(project, fs, {
        vars,
        fullRefresh: request.fullRefresh ?? false,
        existing: kept,
        env: request.env ?? process.env,
      });
    plan = await planWith(existing);
    hashes = definitionHashes(plan, await seedTexts(plan, fs));
    if (writes && hashes.size > 0) {
      // An incremental model whose definition changed since its rows were built starts over.
      const stored = adapter ? await readState(adapter) : await publishedState(paths, fs, timedOpen);
      const stale = [...staleModels(hashes, stored)].filter((name) => existing.has(name));
      if (stale.length > 0) {
        for (const name of stale)
          logger.info(`${name}: its definition changed since it was built; rebuilding it in full`);
        existing = new Map([...existing].filter(([name]) => !stale.includes(name)));
        plan = await planWith(existing);
      }
    }
    chosen = selectNodes(plan, request.select, request.exclude, existing);
    if (writes) {
      // A run that rebuilds everything the warehouse holds starts from an empty file: no copy.
      const fresh = rebuildsAll(relations, plan, chosen, {
        ...steps,
        fullRefresh: request.fullRefresh ?? false,
      });
      next = await openNext(paths, fs, timedOpen, { fresh });
      adapter = next.adapter;
      if (fresh) {
        existing = new Map();
        present = new Set();
      }
    }
  } catch (error) {
    await adapter?.close();
    throw error;
  }
  const warehouse = adapter as Adapter;
  const pool: Adapter[] = [warehouse];
  let finished = false;
  const release = async (publish: boolean) => {
    finished = true;
    for (const connection of pool.slice(1)) await connection.close();
    if (!next) await warehouse.close();
    else if (publish) await next.publish();
    else await next.discard();
  };
  try {
    const tables = [...plan.nodes.values()].flatMap((node) => (node.kind === "source" ? [node.table] : []));
    const warnings = [...plan.warnings];
    for (const warning of plan.warnings) logger.warn(warning);
    const threads = Math.max(1, request.threads ?? 4);
    while (pool.length < threads && warehouse.connect) pool.push(await warehouse.connect());

    const results: NodeResult[] = [];
    const record = (result: NodeResult) => {
      results.push(result);
      logger.info(resultLine(result));
    };
    let sourcesFailed = false;
    let loadedSources: SourceBatches | undefined;
    if (steps.sources) {
      const reports = await loadSourceStep(
        warehouse,
        tables,
        plan,
        request,
        String(vars.timezone ?? "Asia/Shanghai"),
        effects,
        record,
      );
      sourcesFailed = reports === undefined;
      for (const table of tables) present.add(table.relation);
      // The rows each incrementally loaded table got this run, for its tests (views in scratch).
      if (reports && next) {
        loadedSources = sourceBatches(reports, plan);
        await warehouse.execute(loadedSources.sql);
      }
    }
    if ((steps.seeds || steps.models) && !sourcesFailed) {
      const graph = topologicalOrder(
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
      // Heads of long chains first, timed by the previous run (see priority.ts).
      const timings = await previousSeconds(fs, join(paths.target, "run_results.json"));
      const ids = longestChainFirst(
        graph,
        (id) => plan.nodes.get(id)?.dependsOn ?? [],
        (id) => timings.get(id),
      );
      if (next) await warehouse.execute(`create schema if not exists ${SCRATCH_SCHEMA}`);
      await buildStep(ids, plan, pool, existing, effects, record);
    }
    const rebuilt = new Set(
      results.filter((result) => result.status === "success").map((result) => result.id),
    );
    if (steps.tests && !sourcesFailed) {
      const tests = selectTests(plan, request.select, request.exclude);
      // In a run that built models, tests of incremental models may check the rows written.
      const facts = next
        ? {
            written: new Map([...writtenRows(plan, results), ...(loadedSources?.written ?? [])]),
            rebuilt,
            passed: await readTestState(warehouse),
          }
        : undefined;
      await testStep(
        tests,
        plan,
        pool,
        present,
        results,
        effects,
        record,
        (result) => results.push(result),
        facts,
      );
    }
    // The batches served the tests; they never reach the published warehouse.
    if (next) await warehouse.execute(`drop schema if exists ${SCRATCH_SCHEMA} cascade`);
    if (sourcesFailed) {
      for (const node of plan.nodes.values()) {
        if (node.kind === "model" || node.kind === "test") record(skipped(node, "the sources did not load"));
      }
    }

    const columns = await describe(warehouse);
    for (const warning of documentedColumns(plan, columns)) {
      warnings.push(warning);
      logger.warn(warning);
    }
    const failures = results
      .filter((result) => result.status === "error" || result.status === "fail")
      .map((result) => result.error)
      .filter((error): error is HuitouError => error !== undefined);
    const ok = failures.length === 0;
    if (next && ok) {
      const built = new Set(
        results.filter((result) => result.status === "success").map((result) => result.name),
      );
      await writeState(warehouse, new Map([...hashes].filter(([name]) => built.has(name))));
      await writeTestState(warehouse, testStateChanges(plan, results, rebuilt));
    }
    if (next && ok && request.beforePublish) {
      // The artifacts of this run first: the step may show them (the site's Data page).
      await writeArtifacts(plan, results, columns, request, vars, clock.now() - started, effects);
      await request.beforePublish(warehouse, plan);
    }
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
