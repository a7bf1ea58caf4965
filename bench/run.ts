/**
 * `npm run bench [-- --orders 1e6|1e7] [--runs N]`: the demo shop at the requested size
 * (cached in bench/cache/ by size and seed), then each stage (generate, load, models with the
 * CLV fit, data tests, the full build with the site) measured `runs` times, each in its own
 * process for its peak RSS, with the ratios against DuckDB's floor measured within each run.
 * Writes bench/results.json (every size measured so far) and bench/results.md (the table).
 *
 *   npm run bench -- [--orders 1000000] [--runs 3] [--seed 42] [--generate-runs N]
 *                    [--cache bench/cache] [--out bench] [--generate-only]
 *
 * `--generate-only` fills the cache (the shop at that size) and measures nothing.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { openDuckDB } from "../src/engine/adapters/duckdb.ts";
import {
  type Machine,
  medianRun,
  type Ratio,
  type Results,
  renderMarkdown,
  type SizeReport,
  STAGES,
  type Stage,
  type StageSummary,
  summarize,
  targets,
} from "./report.ts";
import { benchProject, customersFor, readShop, shopDir, writeShop } from "./shop.ts";
import type { NodeTiming, Spans, StageRequest, StageResult } from "./stage.ts";

const ROOT = join(import.meta.dirname, "..");
const STAGE_SCRIPT = join(import.meta.dirname, "stage.ts");

/** Runs one stage in a child process; resolves with its result and the load average at its start. */
async function measure(request: StageRequest): Promise<StageResult & { load1: number }> {
  const load1 = loadavg()[0] as number;
  const child = spawn(process.execPath, [STAGE_SCRIPT, JSON.stringify(request)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  const code = await new Promise<number | null>((done, fail) => {
    child.on("error", fail);
    child.on("close", done);
  });
  if (code !== 0) throw new Error(`bench stage ${request.stage} failed (exit ${code})`);
  const last = stdout.trim().split("\n").at(-1) ?? "";
  return { ...(JSON.parse(last) as StageResult), load1 };
}

async function machine(): Promise<Machine> {
  const db = await openDuckDB(":memory:");
  const { rows } = await db.query("select version() as v");
  await db.close();
  return {
    nproc: availableParallelism(),
    memoryGb: totalmem() / 1024 ** 3,
    cpu: cpus()[0]?.model ?? "unknown",
    node: process.version,
    duckdb: String(rows[0]?.v ?? "unknown"),
  };
}

async function writeAtomic(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}

function parse() {
  const { values } = parseArgs({
    options: {
      orders: { type: "string", default: "1000000" },
      runs: { type: "string", default: "3" },
      seed: { type: "string", default: "42" },
      "generate-runs": { type: "string" },
      cache: { type: "string", default: join(ROOT, "bench", "cache") },
      out: { type: "string", default: join(ROOT, "bench") },
      "generate-only": { type: "boolean", default: false },
    },
  });
  const whole = (name: string, text: string, min: number) => {
    const value = Number(text);
    if (!(Number.isInteger(value) && value >= min)) {
      throw new Error(`--${name} ${text}: expected a whole number >= ${min} (1e6 is fine)`);
    }
    return value;
  };
  const runs = whole("runs", values.runs, 1);
  return {
    orders: whole("orders", values.orders, 1),
    runs,
    seed: whole("seed", values.seed, 0),
    generateRuns: whole("generate-runs", values["generate-runs"] ?? String(runs), 0),
    cacheDir: resolve(values.cache),
    outDir: resolve(values.out),
    generateOnly: values["generate-only"],
  };
}

const seconds = (ms: number) => ms / 1000;

async function main(): Promise<void> {
  const options = parse();
  const { orders, runs, seed, cacheDir, outDir } = options;
  await mkdir(cacheDir, { recursive: true });
  const projectDir = await benchProject(ROOT, cacheDir);
  const dataDir = shopDir(cacheDir, orders, seed);
  const customers = customersFor(orders);
  const log = (message: string) => process.stderr.write(`${message}\n`);

  const samples: Record<Stage, { seconds: number; peakRssMb: number; load1: number }[]> = {
    generate: [],
    load: [],
    models: [],
    clv: [],
    tests: [],
    site: [],
    build: [],
  };
  const ratios: Record<Ratio, number[]> = {
    loadVsReadCsv: [],
    modelsVsScan: [],
    clvSecondsPerMillionBuyers: [],
    siteSeconds: [],
  };
  const modelRuns: { nodes: NodeTiming[] }[] = [];
  const loadRuns: { nodes: NodeTiming[] }[] = [];
  const buildRuns: { spans: Spans; siteMs: number; pages: SizeReport["pages"] }[] = [];
  let buyers: number | null = null;

  const generate = async (outDir: string) => {
    const result = await measure({ stage: "generate", outDir, customers, seed });
    samples.generate.push({
      seconds: seconds(result.wallMs),
      peakRssMb: result.peakRssMb,
      load1: result.load1,
    });
    log(`  generate ${seconds(result.wallMs).toFixed(1)} s, peak RSS ${result.peakRssMb.toFixed(0)} MB`);
    return result.extra.counts as Record<string, number>;
  };

  let shop = await readShop(dataDir);
  if (!shop) {
    log(`generating the demo shop: ${customers} customers for about ${orders} orders into ${dataDir}`);
    const counts = await generate(dataDir);
    shop = { requestedOrders: orders, seed, customers, counts };
    await writeShop(dataDir, shop);
  }
  if (options.generateOnly) {
    log(`${shop.counts.orders} orders cached in ${dataDir}`);
    return;
  }
  log(`${shop.counts.orders} orders, ${shop.customers} customers (seed ${seed}); ${runs} run(s)`);

  for (let run = 1; run <= runs; run++) {
    log(`run ${run} of ${runs}`);
    if (samples.generate.length < options.generateRuns) {
      const scratch = join(cacheDir, "scratch-generate");
      await generate(scratch);
      await rm(scratch, { recursive: true, force: true });
    }

    const load = await measure({
      stage: "load",
      projectDir,
      dataDir,
      scratchDir: join(projectDir, "scratch"),
    });
    const { bareMs, loadMs } = load.extra as { bareMs: number; loadMs: number };
    samples.load.push({ seconds: seconds(loadMs), peakRssMb: load.peakRssMb, load1: load.load1 });
    ratios.loadVsReadCsv.push(loadMs / bareMs);
    loadRuns.push({ nodes: load.extra.nodes as NodeTiming[] });
    log(
      `  load ${seconds(loadMs).toFixed(1)} s (bare read_csv ${seconds(bareMs).toFixed(1)} s), peak RSS ${load.peakRssMb.toFixed(0)} MB`,
    );

    const models = await measure({ stage: "models", projectDir });
    const extra = models.extra as {
      scanMs: number;
      modelsMs: number;
      dagMs: number;
      clvMs: number | null;
      buyers: number | null;
    };
    samples.models.push({
      seconds: seconds(extra.modelsMs),
      peakRssMb: models.peakRssMb,
      load1: models.load1,
    });
    // The DAG's span (first model start to last model end) against the scan: engine setup and
    // the warehouse copy are in the stage's seconds, not in the ratio.
    ratios.modelsVsScan.push(extra.dagMs / extra.scanMs);
    modelRuns.push({ nodes: models.extra.nodes as NodeTiming[] });
    if (extra.clvMs !== null) {
      samples.clv.push({ seconds: seconds(extra.clvMs), peakRssMb: models.peakRssMb, load1: models.load1 });
      if (extra.buyers) ratios.clvSecondsPerMillionBuyers.push(seconds(extra.clvMs) / (extra.buyers / 1e6));
    }
    buyers = extra.buyers;
    log(
      `  models ${seconds(extra.modelsMs).toFixed(1)} s (DAG ${seconds(extra.dagMs).toFixed(1)} s, one aggregate scan ${seconds(extra.scanMs).toFixed(2)} s, CLV ${extra.clvMs === null ? "n/a" : `${seconds(extra.clvMs).toFixed(1)} s`}), peak RSS ${models.peakRssMb.toFixed(0)} MB`,
    );

    const tests = await measure({ stage: "tests", projectDir });
    samples.tests.push({ seconds: seconds(tests.wallMs), peakRssMb: tests.peakRssMb, load1: tests.load1 });
    log(
      `  tests ${seconds(tests.wallMs).toFixed(1)} s (${tests.extra.tests} tests), peak RSS ${tests.peakRssMb.toFixed(0)} MB`,
    );

    const build = await measure({ stage: "build", projectDir, dataDir, siteDir: join(projectDir, "site") });
    const built = build.extra as { siteMs: number; spans: Spans; pages: SizeReport["pages"] };
    samples.build.push({ seconds: seconds(build.wallMs), peakRssMb: build.peakRssMb, load1: build.load1 });
    samples.site.push({ seconds: seconds(built.siteMs), peakRssMb: build.peakRssMb, load1: build.load1 });
    ratios.siteSeconds.push(seconds(built.siteMs));
    buildRuns.push(built);
    log(
      `  build ${seconds(build.wallMs).toFixed(1)} s (site ${seconds(built.siteMs).toFixed(1)} s), peak RSS ${build.peakRssMb.toFixed(0)} MB`,
    );
  }

  const stages = Object.fromEntries(
    STAGES.map((stage) => {
      const list = samples[stage];
      const time = summarize(list.map((sample) => sample.seconds));
      const rss = summarize(list.map((sample) => sample.peakRssMb));
      const summary: StageSummary | null =
        time && rss
          ? { seconds: time, peakRssMb: rss, loadAverage: list.map((sample) => sample.load1) }
          : null;
      return [stage, summary];
    }),
  ) as Record<Stage, StageSummary | null>;
  const medianModels = modelRuns[medianRun(samples.models.map((sample) => sample.seconds))];
  const medianLoad = loadRuns[medianRun(samples.load.map((sample) => sample.seconds))];
  const medianBuild = buildRuns[medianRun(samples.build.map((sample) => sample.seconds))];
  const phases: Record<string, number> = {};
  if (medianBuild) {
    Object.assign(phases, medianBuild.spans);
    phases.site = seconds(medianBuild.siteMs);
  }
  const partial: Omit<SizeReport, "targets"> = {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    requestedOrders: orders,
    orders: shop.counts.orders ?? 0,
    customers: shop.customers,
    buyers,
    seed,
    runs,
    stages,
    ratios: Object.fromEntries(
      Object.entries(ratios).map(([name, list]) => [name, summarize(list)]),
    ) as SizeReport["ratios"],
    pages: medianBuild?.pages ?? [],
    slowest: (medianModels?.nodes ?? []).slice(0, 8).map(({ id, seconds }) => ({ id, seconds })),
    sources: (medianLoad?.nodes ?? [])
      .filter((node) => node.kind === "source")
      .map(({ id, seconds }) => ({ id, seconds })),
    buildPhases: phases,
  };
  const report: SizeReport = { ...partial, targets: targets(partial) };

  const jsonPath = join(outDir, "results.json");
  const previous: Results | undefined = existsSync(jsonPath)
    ? (JSON.parse(await readFile(jsonPath, "utf8")) as Results)
    : undefined;
  const results: Results = {
    machine: await machine(),
    sizes: { ...(previous?.sizes ?? {}), [String(orders)]: report },
  };
  await mkdir(outDir, { recursive: true });
  await writeAtomic(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  await writeAtomic(join(outDir, "results.md"), renderMarkdown(results));
  log(`wrote ${jsonPath} and results.md`);
  for (const target of report.targets) {
    log(
      `${target.met ? "met   " : "MISSED"} ${target.name}: ${target.measured} (${target.limit})${target.note ? ` — ${target.note}` : ""}`,
    );
  }
}

await main();
