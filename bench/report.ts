/**
 * The benchmark's report, pure: per-run measurements in, summaries (median, min, max), ratios,
 * targets and the markdown table out. bench/run.ts does the measuring and the file writes.
 */

import type { Unfinished } from "./unfinished.ts";

/** Median, min and max of a list of runs. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

/** One stage over its runs: wall seconds and the peak RSS (MB) of the stage's process. */
export interface StageSummary {
  seconds: Summary;
  peakRssMb: Summary;
  /** 1-minute load average when each run started. */
  loadAverage: number[];
}

export const STAGES = ["generate", "load", "models", "clv", "tests", "site", "build"] as const;
export type Stage = (typeof STAGES)[number];

export const RATIOS = ["loadVsReadCsv", "modelsVsScan", "clvSecondsPerMillionBuyers", "siteSeconds"] as const;
export type Ratio = (typeof RATIOS)[number];

export interface Target {
  name: string;
  limit: string;
  measured: string;
  met: boolean;
  /** Where the time goes, for a miss. */
  note: string;
}

/** Everything measured at one size. */
export interface SizeReport {
  date: string;
  requestedOrders: number;
  orders: number;
  customers: number;
  buyers: number | null;
  seed: number;
  runs: number;
  stages: Record<Stage, StageSummary | null>;
  ratios: Record<Ratio, Summary | null>;
  pages: { route: string; bytes: number; gzipBytes: number }[];
  /** Slowest nodes of the median models run, source tables of the median load run, phases of the median full build. */
  slowest: { id: string; seconds: number }[];
  sources: { id: string; seconds: number }[];
  buildPhases: Record<string, number>;
  /** Stages read off the full build's phases instead of run in a process of their own (`--stages`). */
  fromBuild: Stage[];
  /** DuckDB's memory_limit for the run (`--memory-limit`); null for DuckDB's default. */
  memoryLimit: string | null;
  /** A stage stopped at `--timeout`, and how far it got; null when every stage finished. */
  unfinished: Unfinished | null;
  targets: Target[];
}

export interface Machine {
  nproc: number;
  memoryGb: number;
  cpu: string;
  node: string;
  duckdb: string;
}

export interface Results {
  machine: Machine;
  sizes: Record<string, SizeReport>;
}

/** Median (mean of the middle two for an even count), min and max; null for no runs. */
export function summarize(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted.at(-1) as number, runs: [...values] };
}

/** The index of the run whose value is the median (the lower middle for an even count). */
export function medianRun(values: readonly number[]): number {
  const order = values.map((value, index) => [value, index] as const).sort((a, b) => a[0] - b[0]);
  return order[Math.floor((order.length - 1) / 2)]?.[1] ?? 0;
}

/** The issue's targets for one size; the full-build target applies to 10 million orders only. */
export function targets(size: Omit<SizeReport, "targets">): Target[] {
  const out: Target[] = [];
  const load = size.ratios.loadVsReadCsv;
  if (load) {
    out.push({
      name: "load vs bare read_csv",
      limit: "< 2x",
      measured: `${fixed(load.median, 2)}x`,
      met: load.median < 2,
      note: sourcesNote(size.sources),
    });
  }
  const models = size.ratios.modelsVsScan;
  if (models) {
    out.push({
      name: "models vs one aggregate scan",
      limit: "< 15x",
      measured: `${fixed(models.median, 1)}x`,
      met: models.median < 15,
      note: size.slowest
        .slice(0, 5)
        .map((node) => `${node.id.split(".").at(-1)} ${fixed(node.seconds, 1)} s`)
        .join(", "),
    });
  }
  const build = size.stages.build;
  if (build && size.requestedOrders >= 10_000_000) {
    out.push({
      name: "full build (10M orders)",
      limit: "< 90 s and < 6 GB",
      measured: `${fixed(build.seconds.median, 1)} s, ${fixed(build.peakRssMb.max / 1024, 2)} GB`,
      met: build.seconds.median < 90 && build.peakRssMb.max < 6 * 1024,
      note: Object.entries(size.buildPhases)
        .map(([phase, seconds]) => `${phase} ${fixed(seconds, 1)} s`)
        .join(", "),
    });
  }
  const stopped = size.unfinished;
  if (stopped && size.requestedOrders >= 10_000_000 && (stopped.stage === "build" || !build)) {
    out.push({
      name: "full build (10M orders)",
      limit: "< 90 s and < 6 GB",
      measured: `${stopped.stage} stopped unfinished after ${fixed(stopped.afterSeconds, 0)} s, ${fixed(stopped.peakRssMb / 1024, 2)} GB so far`,
      met: false,
      note: unfinishedNote(stopped),
    });
  }
  for (const target of out) if (target.met) target.note = "";
  return out;
}

/** How far a stopped stage got: its last progress line and slowest finished nodes. */
export function unfinishedNote(stopped: Unfinished): string {
  const slowest = stopped.slowest.map((node) => `${node.id.split(".").at(-1)} ${fixed(node.seconds, 1)} s`);
  return [stopped.progress, slowest.length ? `slowest finished: ${slowest.join(", ")}` : ""]
    .filter(Boolean)
    .join("; ");
}

/** Where a load's time goes: per table, or one figure when the ingest reports only its total. */
export function sourcesNote(sources: readonly { id: string; seconds: number }[]): string {
  const times = sources.map((source) => source.seconds);
  // The ingest times its tables together: each reports the step's total (to within a few ms).
  if (times.length > 1 && Math.max(...times) - Math.min(...times) < 0.1) {
    return `${sources.length} tables load in one step of ${fixed(Math.max(...times), 1)} s (no per-table time)`;
  }
  return [...sources]
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, 5)
    .map((node) => `${node.id.split(".").at(-1)} ${fixed(node.seconds, 1)} s`)
    .join(", ");
}

function fixed(value: number, digits: number): string {
  return value.toFixed(digits);
}

const LABELS: Record<Stage, string> = {
  generate: "generate (demo shop, CSV)",
  load: "load (sources)",
  models: "models (seeds + models)",
  clv: "CLV fit (clv_model + customer_value)",
  tests: "data tests",
  site: "site",
  build: "full build (load, models, tests, site)",
};

const RATIO_LABELS: Record<Ratio, string> = {
  loadVsReadCsv: "load / bare read_csv of the same files",
  modelsVsScan: "all models / one aggregate scan of orders by customer",
  clvSecondsPerMillionBuyers: "CLV fit seconds per million buyers",
  siteSeconds: "site build seconds",
};

const range = (summary: Summary, digits: number) =>
  `${fixed(summary.median, digits)} (${fixed(summary.min, digits)}–${fixed(summary.max, digits)})`;

/** The markdown of results.md: machine, then one section per size, largest last. */
export function renderMarkdown(results: Results): string {
  const { machine } = results;
  const lines = [
    "# huitou benchmark results",
    "",
    "Written by `npm run bench` (bench/run.ts); rerun it to refresh. Seconds are wall time; each",
    "stage runs in a process of its own, whose peak RSS is reported. Figures are the median of the",
    "runs with (min–max). Ratios are computed within each run, then summarized.",
    "",
    "Method. *Load* is the engine's sources step (validation, quarantine, load report) against a bare",
    "`create table … as select * from read_csv(…)` of the same CSV files into a new DuckDB file, both",
    "with the files in the page cache. *Models* is the span from the first seed or model starting to",
    "the last one ending, against one `group by customer_id` aggregate of raw.orders written to a table",
    "(the stage's seconds also hold planning, the warehouse copy and the artifacts). *CLV fit* is the",
    "clv_model and customer_value nodes (clv_backtest not included), per million buyers (rows of",
    "customer_value). *Site* is the dashboard render inside the full build, per-page sizes gzipped.",
    "The machine is shared: the 1-minute load average at the start of each stage is quoted.",
    "",
    `Machine: ${machine.nproc} cores (nproc), ${fixed(machine.memoryGb, 1)} GB memory, ${machine.cpu}; Node ${machine.node}, DuckDB ${machine.duckdb}.`,
  ];
  const sizes = Object.values(results.sizes).sort((a, b) => a.requestedOrders - b.requestedOrders);
  for (const size of sizes) lines.push("", ...sizeSection(size));
  return `${lines.join("\n")}\n`;
}

function sizeSection(size: SizeReport): string[] {
  const loads = STAGES.flatMap((stage) => size.stages[stage]?.loadAverage ?? []);
  const lines = [
    `## ${size.orders.toLocaleString("en-US")} orders (requested ${size.requestedOrders.toLocaleString("en-US")})`,
    "",
    `${size.date}; DuckDB memory_limit ${size.memoryLimit ?? "default (80% of memory)"}; ${size.customers.toLocaleString("en-US")} CRM customers, ${size.buyers === null ? "?" : size.buyers.toLocaleString("en-US")} buyers, seed ${size.seed}; ${size.runs} run(s). ` +
      `1-minute load average at the start of each stage: ${loads.length ? `${fixed(Math.min(...loads), 1)}–${fixed(Math.max(...loads), 1)}` : "n/a"}.`,
    "",
    "| stage | seconds: median (min–max) | peak RSS MB: median (min–max) | load average |",
    "|---|---|---|---|",
  ];
  for (const stage of STAGES) {
    const summary = size.stages[stage];
    if (!summary) {
      lines.push(`| ${LABELS[stage]} | not measured | | |`);
      continue;
    }
    if (size.fromBuild.includes(stage)) {
      lines.push(
        `| ${LABELS[stage]}, within the full build | ${range(summary.seconds, 2)} | ${range(summary.peakRssMb, 0)} (build process) | ${summary.loadAverage.map((value) => fixed(value, 1)).join(", ")} |`,
      );
      continue;
    }
    const inBuild = stage === "site" || size.fromBuild.includes(stage);
    const shared = inBuild ? " (build process)" : stage === "clv" ? " (models process)" : "";
    lines.push(
      `| ${LABELS[stage]} | ${range(summary.seconds, 2)} | ${range(summary.peakRssMb, 0)}${shared} | ${summary.loadAverage.map((value) => fixed(value, 1)).join(", ")} |`,
    );
  }
  lines.push("", "| ratio (within one run) | median (min–max) |", "|---|---|");
  for (const ratio of RATIOS) {
    const summary = size.ratios[ratio];
    lines.push(`| ${RATIO_LABELS[ratio]} | ${summary ? range(summary, 2) : "n/a"} |`);
  }
  if (size.pages.length > 0) {
    const total = size.pages.reduce((sum, page) => sum + page.gzipBytes, 0);
    lines.push(
      "",
      `Site pages, gzip bytes (total ${total.toLocaleString("en-US")}, ${size.pages.length} pages): ` +
        groupPages(size.pages)
          .map((group) =>
            group.count === 1
              ? `${group.route} ${group.max.toLocaleString("en-US")}`
              : `${group.route} ×${group.count} median ${group.median.toLocaleString("en-US")}, max ${group.max.toLocaleString("en-US")}`,
          )
          .join(", "),
    );
  }
  if (Object.keys(size.buildPhases).length > 0) {
    lines.push(
      "",
      `Full build, where the time goes (median run, wall spans): ${Object.entries(size.buildPhases)
        .map(([phase, seconds]) => `${phase} ${fixed(seconds, 1)} s`)
        .join(", ")}.`,
    );
  }
  if (size.slowest.length > 0) {
    lines.push(
      "",
      `Slowest nodes of the median models run: ${size.slowest.map((node) => `${node.id} ${fixed(node.seconds, 2)} s`).join(", ")}.`,
    );
  }
  if (size.unfinished) {
    const stopped = size.unfinished;
    lines.push(
      "",
      `**Stopped:** the ${stopped.stage} stage was stopped after ${fixed(stopped.afterSeconds, 0)} s (\`--timeout\`; load average ${fixed(stopped.loadAverage, 1)} at its start), peak RSS ${fixed(stopped.peakRssMb, 0)} MB so far; ${unfinishedNote(stopped) || "no node had finished"}.`,
    );
  }
  lines.push("", "| target | limit | measured | met | where the time goes |", "|---|---|---|---|---|");
  for (const target of size.targets) {
    lines.push(
      `| ${target.name} | ${target.limit} | ${target.measured} | ${target.met ? "yes" : "**no**"} | ${target.note} |`,
    );
  }
  if (size.targets.length === 0) lines.push("| (none measured at this size) | | | | |");
  return lines;
}

/** Per-page gzip sizes, one entry per page, except that a template's pages share one entry. */
export interface PageGroup {
  route: string;
  count: number;
  median: number;
  max: number;
}

/**
 * Groups pages that are instances of one template: routes two levels deep under a parent with
 * more than one such child become `/parent/*` (the campaign pages); others stay one per route.
 */
export function groupPages(pages: readonly { route: string; gzipBytes: number }[]): PageGroup[] {
  const groups = new Map<string, number[]>();
  const parentOf = (route: string) => {
    const parts = route.split("/").filter(Boolean);
    return parts.length === 2 ? `/${parts[0]}/*` : undefined;
  };
  const children = new Map<string, number>();
  for (const page of pages) {
    const parent = parentOf(page.route);
    if (parent) children.set(parent, (children.get(parent) ?? 0) + 1);
  }
  for (const page of pages) {
    const parent = parentOf(page.route);
    const key = parent && (children.get(parent) ?? 0) > 1 ? parent : page.route;
    groups.set(key, [...(groups.get(key) ?? []), page.gzipBytes]);
  }
  return [...groups.entries()].map(([route, sizes]) => {
    const summary = summarize(sizes) as Summary;
    return { route, count: sizes.length, median: Math.round(summary.median), max: summary.max };
  });
}
