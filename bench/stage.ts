/**
 * One measured stage of `npm run bench`, run in a process of its own so its peak resident
 * memory (DuckDB's native memory included) is that stage's alone. bench/run.ts spawns
 *
 *   node bench/stage.ts '<StageRequest as JSON>'
 *
 * and reads one JSON line (a StageResult) from stdout. Wall times are milliseconds.
 */
import { readdirSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Adapter, OpenOptions } from "../src/engine/adapters/adapter.ts";
import { openDuckDB } from "../src/engine/adapters/duckdb.ts";
import { type Effects, quietEffects } from "../src/engine/effects.ts";
import type { NodeResult } from "../src/engine/results.ts";
import { type RunOutcome, runProject } from "../src/engine/session.ts";
import { refresh } from "../src/publish/refresh.ts";
import type { BuildSiteOptions, SiteReport } from "../src/site/buildSite.ts";
import { dropWarehouse } from "./shop.ts";

/** Every stage may cap DuckDB's memory (`--memory-limit`); unset, DuckDB's default applies. */
export type StageRequest = { memoryLimit?: string } & (
  | { stage: "generate"; outDir: string; customers: number; seed: number }
  | { stage: "load"; projectDir: string; dataDir: string; scratchDir: string }
  | { stage: "models"; projectDir: string }
  | { stage: "tests"; projectDir: string }
  | {
      stage: "build";
      projectDir: string;
      dataDir: string;
      siteDir: string;
      /** Also measure the floors (bare read_csv before, the aggregate scan after) in this process. */
      floors: boolean;
      /** Build on the warehouse the previous build published (an incremental refresh), not from nothing. */
      keepWarehouse?: boolean;
      /** `huitou build --full-refresh`. */
      fullRefresh?: boolean;
    }
);

// The stage's DuckDB options (the memory cap), set once from the request.
let limits: OpenOptions = {};

/** Opens a database with the stage's limits; the engine gets it as `open` too. */
function open(path: string, options: OpenOptions = {}): Promise<Adapter> {
  return openDuckDB(path, { ...options, ...limits });
}

/** Per node: what run_results.json says (seconds), for "where the time goes". */
export interface NodeTiming {
  id: string;
  kind: string;
  seconds: number;
  rows: number | null;
}

/** Wall-clock spans of the build's phases (first start to last end of their nodes), seconds. */
export type Spans = Partial<Record<"load" | "models" | "tests", number>>;

export interface StageResult {
  wallMs: number;
  cpuSeconds: number;
  peakRssMb: number;
  /** Stage-specific figures. */
  extra: Record<string, unknown>;
}

/** Seconds from the first start to the last end of the nodes of these kinds; undefined if none ran. */
export function spanOf(
  results: readonly NodeResult[],
  kinds: readonly NodeResult["kind"][],
): number | undefined {
  const ran = results.filter(
    (result) => kinds.includes(result.kind) && result.startedAt && result.completedAt,
  );
  if (ran.length === 0) return undefined;
  const start = Math.min(...ran.map((result) => Date.parse(result.startedAt as string)));
  const end = Math.max(...ran.map((result) => Date.parse(result.completedAt as string)));
  return (end - start) / 1000;
}

/** The phases of a build: sources loading, seeds and models building, data tests. */
export function spans(results: readonly NodeResult[]): Spans {
  const out: Spans = {};
  const phases = { load: ["source"], models: ["seed", "model"], tests: ["test"] } as const;
  for (const [phase, kinds] of Object.entries(phases)) {
    const seconds = spanOf(results, kinds);
    if (seconds !== undefined) out[phase as keyof Spans] = seconds;
  }
  return out;
}

function timings(results: readonly NodeResult[]): NodeTiming[] {
  return results
    .filter((result) => result.kind !== "test")
    .map((result) => ({
      id: result.id,
      kind: result.kind,
      seconds: result.executionTime,
      rows: result.rowsAffected,
    }))
    .sort((a, b) => b.seconds - a.seconds);
}

/** The CLV fit's time (clv_model + customer_value, ms) and its buyers (customer_value's rows). */
function clvFigures(nodes: readonly NodeTiming[]): { clvMs: number | null; buyers: number | null } {
  const clv = nodes.filter((node) => /\.(clv_model|customer_value)$/.test(node.id));
  return {
    clvMs: clv.length > 0 ? clv.reduce((sum, node) => sum + node.seconds * 1000, 0) : null,
    buyers: nodes.find((node) => node.id.endsWith(".customer_value"))?.rows ?? null,
  };
}

function check(outcome: RunOutcome): void {
  if (outcome.failures.length > 0) {
    throw new Error(outcome.failures.map((error) => error.message).join("\n"));
  }
}

/** `create table` from each CSV of the folder with a bare read_csv: the floor for loading. */
async function bareReadCsv(dataDir: string, scratchDir: string): Promise<number> {
  const files = readdirSync(dataDir).filter((name) => name.endsWith(".csv"));
  await mkdir(scratchDir, { recursive: true });
  const path = join(scratchDir, "bare.duckdb");
  await rm(path, { force: true });
  await rm(`${path}.wal`, { force: true });
  const warm = await open(":memory:");
  // Both sides read files already in the page cache: the first read of a file is not the load's cost.
  for (const file of files)
    await warm.query(`select count(*) from read_csv('${join(dataDir, file)}', all_varchar = true)`);
  await warm.close();
  const db = await open(path);
  const started = performance.now();
  for (const file of files) {
    await db.execute(
      `create table "${file.replace(/\.csv$/, "")}" as select * from read_csv('${join(dataDir, file)}')`,
    );
  }
  await db.execute("checkpoint");
  const ms = performance.now() - started;
  await db.close();
  await rm(path, { force: true });
  return ms;
}

/** One aggregate scan of orders by customer, materialized like a model's table: the floor for models. */
async function aggregateScan(projectDir: string): Promise<number> {
  const db = await open(join(projectDir, "target", "warehouse.duckdb"));
  try {
    const started = performance.now();
    await db.execute(`create temp table bench_scan as
      select customer_id, count(*) as orders, sum(paid_amount) as paid,
             min(ordered_at) as first_at, max(ordered_at) as last_at
      from raw.orders
      group by customer_id`);
    return performance.now() - started;
  } finally {
    await db.close();
  }
}

async function run(request: StageRequest): Promise<Record<string, unknown>> {
  // Every node's result line goes to stderr with the seconds since the stage began: run.ts
  // keeps it in a log, which says where the time went even if a long run is stopped.
  const began = performance.now();
  const stamp = (message: string) =>
    process.stderr.write(`${((performance.now() - began) / 1000).toFixed(1).padStart(7)}s ${message}\n`);
  const effects: Effects = {
    ...quietEffects(),
    logger: { info: stamp, warn: (message) => stamp(`warn: ${message}`), progress: stamp },
  };
  switch (request.stage) {
    case "generate": {
      const { generateDemo } = await import("../src/demo/generateDemo.ts");
      await rm(request.outDir, { recursive: true, force: true });
      const truth = await generateDemo({
        outDir: request.outDir,
        customers: request.customers,
        seed: request.seed,
        format: "csv",
        ...(request.memoryLimit ? { memoryLimit: request.memoryLimit } : {}),
      });
      return { counts: truth.counts };
    }
    case "load": {
      const bareMs = await bareReadCsv(request.dataDir, request.scratchDir);
      await dropWarehouse(request.projectDir);
      const started = performance.now();
      const outcome = await runProject(
        {
          projectDir: request.projectDir,
          open,
          invocation: "run",
          dataDir: request.dataDir,
          steps: { sources: true, seeds: false, models: false, tests: false },
        },
        effects,
      );
      const loadMs = performance.now() - started;
      check(outcome);
      return { bareMs, loadMs, nodes: timings(outcome.results) };
    }
    case "models": {
      const scanMs = await aggregateScan(request.projectDir);
      const started = performance.now();
      const outcome = await runProject(
        {
          projectDir: request.projectDir,
          open,
          invocation: "run",
          steps: { sources: false, seeds: true, models: true, tests: false },
        },
        effects,
      );
      const modelsMs = performance.now() - started;
      check(outcome);
      const nodes = timings(outcome.results);
      // The DAG's own wall time, without planning, the warehouse copy and the artifacts.
      const dagMs = (spanOf(outcome.results, ["seed", "model"]) ?? 0) * 1000;
      return {
        scanMs,
        modelsMs,
        dagMs,
        databaseMs: outcome.databaseMs,
        models: nodes.filter((node) => node.kind === "model").length,
        ...clvFigures(nodes),
        nodes: nodes.slice(0, 10),
      };
    }
    case "tests": {
      const outcome = await runProject(
        {
          projectDir: request.projectDir,
          open,
          invocation: "test",
          steps: { sources: false, seeds: false, models: false, tests: true },
        },
        effects,
      );
      check(outcome);
      return { tests: outcome.results.filter((result) => result.kind === "test").length };
    }
    case "build": {
      const bareMs = request.floors
        ? await bareReadCsv(request.dataDir, join(request.projectDir, "scratch"))
        : null;
      if (!request.keepWarehouse) await dropWarehouse(request.projectDir);
      const buildStarted = performance.now();
      const { buildSite } = await import("../src/site/buildSite.ts");
      let siteMs = 0;
      const render = async (options: BuildSiteOptions): Promise<SiteReport> => {
        const started = performance.now();
        const report = await buildSite(options);
        siteMs = performance.now() - started;
        return report;
      };
      const outcome = await refresh(
        {
          projectDir: request.projectDir,
          open,
          dataDir: request.dataDir,
          fullRefresh: request.fullRefresh ?? false,
          site: { outDir: request.siteDir, demo: true },
          render,
        },
        effects,
      );
      const buildMs = performance.now() - buildStarted;
      check(outcome);
      const scanMs = request.floors ? await aggregateScan(request.projectDir) : null;
      const nodes = timings(outcome.results);
      const pages = (outcome.site?.report.pages ?? []).map((page) => ({
        route: page.route,
        bytes: page.bytes,
        gzipBytes: page.gzipBytes,
      }));
      return {
        buildMs,
        siteMs,
        spans: spans(outcome.results),
        pages,
        bareMs,
        scanMs,
        ...clvFigures(nodes),
        nodes: nodes.filter((node) => node.kind !== "source").slice(0, 10),
        sources: nodes.filter((node) => node.kind === "source"),
      };
    }
  }
}

// Only as a script: the tests import `spans` without running a stage.
if (import.meta.main) {
  const request = JSON.parse(process.argv[2] ?? "{}") as StageRequest;
  if (request.memoryLimit) limits = { memoryLimit: request.memoryLimit };
  const started = performance.now();
  const extra = await run(request);
  const wallMs = performance.now() - started;
  const usage = process.resourceUsage();
  const result: StageResult = {
    wallMs,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    // maxRSS is in kilobytes (getrusage's ru_maxrss on Linux).
    peakRssMb: usage.maxRSS / 1024,
    extra,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
