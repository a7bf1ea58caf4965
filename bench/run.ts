/**
 * `npm run bench [-- --orders 1e6|1e7] [--runs N]`: the demo shop at the requested size
 * (cached in bench/cache/ by size and seed), then each stage (generate, load, models with the
 * CLV fit, data tests, the full build with the site) measured `runs` times, each in its own
 * process for its peak RSS, with the ratios against DuckDB's floor measured within each run.
 * Writes bench/results.json (every size measured so far) and bench/results.md (the table).
 *
 *   npm run bench -- [--orders 1000000] [--runs 3] [--seed 42] [--generate-runs N]
 *                    [--cache bench/cache] [--out bench] [--generate-only]
 *                    [--stages generate,load,models,tests,build] [--memory-limit 5GB] [--timeout 3600]
 *
 * `--generate-only` fills the cache (the shop at that size) and measures nothing; `--render-only`
 * rewrites results.md from results.json. `--stages`
 * picks the stages run in processes of their own; without load or models, their figures and
 * ratios are read off the full build (which then also runs the floors). `--memory-limit` caps
 * DuckDB's memory in every stage (unset: DuckDB's default, 80% of the machine's memory).
 * `--timeout` (seconds) stops a stage that runs longer; the report then says how far it got.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { openDuckDB } from "../src/engine/adapters/duckdb.ts";
import { measure } from "./measure.ts";
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
import type { NodeTiming, Spans, StageRequest } from "./stage.ts";
import type { Unfinished } from "./unfinished.ts";

const ROOT = join(import.meta.dirname, "..");

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

/** Lays results.json out as biome does (short arrays on one line), so `npm run lint` stays clean. */
function formatJson(path: string): void {
  const biome = join(ROOT, "node_modules", ".bin", "biome");
  // Only inside the project: biome ignores (and complains about) files outside it.
  if (!path.startsWith(`${ROOT}/`) || !existsSync(biome)) return;
  execFileSync(biome, ["format", "--write", path], { cwd: ROOT, stdio: "ignore" });
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
      "render-only": { type: "boolean", default: false },
      stages: { type: "string", default: MEASURED.join(",") },
      "memory-limit": { type: "string" },
      timeout: { type: "string", default: "3600" },
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
    renderOnly: values["render-only"],
    stages: stageList(values.stages),
    memoryLimit: values["memory-limit"],
    timeoutSeconds: whole("timeout", values.timeout, 1),
  };
}

const seconds = (ms: number) => ms / 1000;

/** The stages run in processes of their own; the CLV fit runs inside models, the site inside build. */
const MEASURED = ["generate", "load", "models", "tests", "build"] as const;
type Measured = (typeof MEASURED)[number];

function stageList(text: string): Set<Measured> {
  const names = text.split(",").map((name) => name.trim());
  for (const name of names) {
    if (!(MEASURED as readonly string[]).includes(name)) {
      throw new Error(`--stages ${text}: ${name} is not one of ${MEASURED.join(", ")}`);
    }
  }
  return new Set(names as Measured[]);
}

/** Rewrites results.md (and the targets in results.json) from results.json, measuring nothing. */
async function render(outDir: string): Promise<void> {
  const jsonPath = join(outDir, "results.json");
  const stored = JSON.parse(await readFile(jsonPath, "utf8")) as Results;
  for (const size of Object.values(stored.sizes)) size.targets = targets(size);
  await writeAtomic(jsonPath, `${JSON.stringify(stored, null, 2)}\n`);
  formatJson(jsonPath);
  await writeAtomic(join(outDir, "results.md"), renderMarkdown(stored));
}

async function main(): Promise<void> {
  const options = parse();
  if (options.renderOnly) return render(options.outDir);
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

  const limit = options.memoryLimit ? { memoryLimit: options.memoryLimit } : {};
  const logs = join(cacheDir, "logs");
  await mkdir(logs, { recursive: true });
  const logFile = (stage: string, run: number) => join(logs, `${orders}-${stage}-run${run}.log`);
  const fromBuild = new Set<Stage>();
  const sample = (stage: Stage, secs: number, result: { peakRssMb: number; load1: number }) =>
    samples[stage].push({ seconds: secs, peakRssMb: result.peakRssMb, load1: result.load1 });
  const clv = (clvMs: number | null, count: number | null, result: { peakRssMb: number; load1: number }) => {
    if (clvMs === null) return;
    sample("clv", seconds(clvMs), result);
    if (count) ratios.clvSecondsPerMillionBuyers.push(seconds(clvMs) / (count / 1e6));
    buyers = count;
  };

  let unfinished: Unfinished | null = null;
  const stop = new Error("stopped at --timeout");
  // A stage stopped at --timeout ends the measuring of this size: later stages need its output.
  const step = async (request: StageRequest, path: string) => {
    const measured = await measure(request, path, options.timeoutSeconds * 1000);
    if ("stopped" in measured) {
      unfinished = measured.stopped;
      throw stop;
    }
    return measured;
  };

  const generate = async (outDir: string, run: number) => {
    const result = await step(
      { stage: "generate", outDir, customers, seed, ...limit },
      logFile("generate", run),
    );
    sample("generate", seconds(result.wallMs), result);
    log(`  generate ${seconds(result.wallMs).toFixed(1)} s, peak RSS ${result.peakRssMb.toFixed(0)} MB`);
    return result.extra.counts as Record<string, number>;
  };

  let shop = await readShop(dataDir);
  if (!shop) {
    log(`generating the demo shop: ${customers} customers for about ${orders} orders into ${dataDir}`);
    const counts = await generate(dataDir, 0);
    shop = { requestedOrders: orders, seed, customers, counts };
    await writeShop(dataDir, shop);
  }
  if (options.generateOnly) {
    log(`${shop.counts.orders} orders cached in ${dataDir}`);
    return;
  }
  const { stages: chosen } = options;
  log(
    `${shop.counts.orders} orders, ${shop.customers} customers (seed ${seed}); ${runs} run(s) of ${[...chosen].join(", ")}; node logs in ${logs}`,
  );

  try {
    for (let run = 1; run <= runs; run++) await measureRun(run);
  } catch (error) {
    if (error !== stop) throw error;
    const { stage, afterSeconds, progress } = unfinished as unknown as Unfinished;
    log(`  ${stage} stopped after ${afterSeconds.toFixed(0)} s (--timeout); ${progress}`);
  }

  async function measureRun(run: number): Promise<void> {
    log(`run ${run} of ${runs}`);
    if (chosen.has("generate") && samples.generate.length < options.generateRuns) {
      const scratch = join(cacheDir, "scratch-generate");
      await generate(scratch, run);
      await rm(scratch, { recursive: true, force: true });
    }

    if (chosen.has("load")) {
      const load = await step(
        { stage: "load", projectDir, dataDir, scratchDir: join(projectDir, "scratch"), ...limit },
        logFile("load", run),
      );
      const { bareMs, loadMs } = load.extra as { bareMs: number; loadMs: number };
      sample("load", seconds(loadMs), load);
      ratios.loadVsReadCsv.push(loadMs / bareMs);
      loadRuns.push({ nodes: load.extra.nodes as NodeTiming[] });
      log(
        `  load ${seconds(loadMs).toFixed(1)} s (bare read_csv ${seconds(bareMs).toFixed(1)} s), peak RSS ${load.peakRssMb.toFixed(0)} MB`,
      );
    }

    if (chosen.has("models")) {
      // Needs the warehouse the load stage (or an earlier build) published.
      const models = await step({ stage: "models", projectDir, ...limit }, logFile("models", run));
      const extra = models.extra as {
        scanMs: number;
        modelsMs: number;
        dagMs: number;
        clvMs: number | null;
        buyers: number | null;
      };
      sample("models", seconds(extra.modelsMs), models);
      // The DAG's span (first model start to last model end) against the scan: engine setup and
      // the warehouse copy are in the stage's seconds, not in the ratio.
      ratios.modelsVsScan.push(extra.dagMs / extra.scanMs);
      modelRuns.push({ nodes: models.extra.nodes as NodeTiming[] });
      clv(extra.clvMs, extra.buyers, models);
      log(
        `  models ${seconds(extra.modelsMs).toFixed(1)} s (DAG ${seconds(extra.dagMs).toFixed(1)} s, one aggregate scan ${seconds(extra.scanMs).toFixed(2)} s, CLV ${extra.clvMs === null ? "n/a" : `${seconds(extra.clvMs).toFixed(1)} s`}), peak RSS ${models.peakRssMb.toFixed(0)} MB`,
      );
    }

    if (chosen.has("tests")) {
      const tests = await step({ stage: "tests", projectDir, ...limit }, logFile("tests", run));
      sample("tests", seconds(tests.wallMs), tests);
      log(
        `  tests ${seconds(tests.wallMs).toFixed(1)} s (${tests.extra.tests} tests), peak RSS ${tests.peakRssMb.toFixed(0)} MB`,
      );
    }

    if (chosen.has("build")) {
      // Without the separate load and models stages, the build measures the floors itself.
      const floors = !(chosen.has("load") && chosen.has("models"));
      const build = await step(
        { stage: "build", projectDir, dataDir, siteDir: join(projectDir, "site"), floors, ...limit },
        logFile("build", run),
      );
      const built = build.extra as {
        buildMs: number;
        siteMs: number;
        spans: Spans;
        pages: SizeReport["pages"];
        bareMs: number | null;
        scanMs: number | null;
        clvMs: number | null;
        buyers: number | null;
        nodes: NodeTiming[];
        sources: NodeTiming[];
      };
      sample("build", seconds(built.buildMs), build);
      sample("site", seconds(built.siteMs), build);
      ratios.siteSeconds.push(seconds(built.siteMs));
      buildRuns.push(built);
      // Stages not run on their own are read off the build's phases (same process, same RSS).
      const { load: loadSpan, models: modelsSpan, tests: testsSpan } = built.spans;
      if (!chosen.has("load") && loadSpan !== undefined && built.bareMs) {
        fromBuild.add("load");
        sample("load", loadSpan, build);
        ratios.loadVsReadCsv.push((loadSpan * 1000) / built.bareMs);
        loadRuns.push({ nodes: built.sources });
      }
      if (!chosen.has("models") && modelsSpan !== undefined && built.scanMs) {
        fromBuild.add("models");
        fromBuild.add("clv");
        sample("models", modelsSpan, build);
        ratios.modelsVsScan.push((modelsSpan * 1000) / built.scanMs);
        modelRuns.push({ nodes: built.nodes });
        clv(built.clvMs, built.buyers, build);
      }
      if (!chosen.has("tests") && testsSpan !== undefined) {
        fromBuild.add("tests");
        sample("tests", testsSpan, build);
      }
      log(
        `  build ${seconds(built.buildMs).toFixed(1)} s (${Object.entries(built.spans)
          .map(([phase, secs]) => `${phase} ${secs.toFixed(1)} s`)
          .join(
            ", ",
          )}, site ${seconds(built.siteMs).toFixed(1)} s), peak RSS ${build.peakRssMb.toFixed(0)} MB`,
      );
    }
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
    fromBuild: STAGES.filter((stage) => fromBuild.has(stage)),
    memoryLimit: options.memoryLimit ?? null,
    unfinished,
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
  formatJson(jsonPath);
  await writeAtomic(join(outDir, "results.md"), renderMarkdown(results));
  log(`wrote ${jsonPath} and results.md`);
  for (const target of report.targets) {
    log(
      `${target.met ? "met   " : "MISSED"} ${target.name}: ${target.measured} (${target.limit})${target.note ? ` — ${target.note}` : ""}`,
    );
  }
}

await main();
