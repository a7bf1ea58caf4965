/**
 * Where the models' time goes, model by model: one models run (seeds and models, no sources,
 * no tests) with one model building at a time, against a warehouse already loaded, each node's
 * seconds next to the floor of one `group by customer_id` aggregate of the orders (the bench's
 * "models vs one aggregate scan" ratio, per model). `npm run bench` measures the whole DAG with
 * models building in parallel, where a slow node's seconds include its neighbours' contention;
 * here they are its own.
 *
 *   npx node bench/models.ts --project DIR [--select SEL] [--baseline run_results.json]
 *                            [--memory-limit 5GB] [--out table.md]
 *
 * DIR is a project whose target/warehouse.duckdb holds the loaded sources (e.g. the folder
 * bench/shop.ts's benchProject links for a cached shop, after `npm run bench` or a
 * `huitou build --data ...` in it). The run leaves its target/run_results.json; pass an
 * earlier one as --baseline to print before and after side by side.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Adapter } from "../src/engine/adapters/adapter.ts";
import { openDuckDB } from "../src/engine/adapters/duckdb.ts";
import { quietEffects } from "../src/engine/effects.ts";
import { runProject } from "../src/engine/session.ts";

/** Seconds per node of a run_results.json (models and seeds). */
export function nodeSeconds(runResults: {
  results: { unique_id: string; execution_time: number }[];
}): Map<string, number> {
  return new Map(
    runResults.results
      .filter((result) => /^(model|seed)\./.test(result.unique_id))
      .map((result) => [result.unique_id.replace(/^\w+\.[^.]+\./, ""), result.execution_time]),
  );
}

/** Nodes faster than this (before and after) are counted on one line, not listed. */
const LISTED_SECONDS = 0.05;

/** The markdown table: the slowest first, the ratio to the floor, the baseline when given. */
export function renderTable(
  seconds: ReadonlyMap<string, number>,
  floorSeconds: number,
  baseline?: ReadonlyMap<string, number>,
): string {
  const sorted = [...seconds].sort((a, b) => b[1] - a[1]);
  const listed = ([name, value]: [string, number]) =>
    value >= LISTED_SECONDS || (baseline?.get(name) ?? 0) >= LISTED_SECONDS;
  const rows = sorted.filter(listed);
  const omitted = sorted.length - rows.length;
  const header = baseline
    ? "| node | before s | after s | after / floor |\n|---|---:|---:|---:|"
    : "| node | seconds | / floor |\n|---|---:|---:|";
  const line = ([name, value]: [string, number]) => {
    const ratio = floorSeconds > 0 ? (value / floorSeconds).toFixed(1) : "";
    if (!baseline) return `| ${name} | ${value.toFixed(2)} | ${ratio} |`;
    const before = baseline.get(name);
    return `| ${name} | ${before === undefined ? "" : before.toFixed(2)} | ${value.toFixed(2)} | ${ratio} |`;
  };
  const total = sorted.reduce((sum, [, value]) => sum + value, 0);
  const totalBefore = baseline ? [...baseline.values()].reduce((sum, value) => sum + value, 0) : 0;
  const footer = baseline
    ? `| total | ${totalBefore.toFixed(1)} | ${total.toFixed(1)} | |`
    : `| total | ${total.toFixed(1)} | |`;
  const rest =
    omitted > 0 ? [`| ${omitted} nodes under ${LISTED_SECONDS} s each | | |${baseline ? " |" : ""}`] : [];
  return [header, ...rows.map(line), ...rest, footer].join("\n");
}

/** One aggregate of the orders by customer written to a table: the floor a model is held to. */
async function floor(db: Adapter): Promise<number> {
  const started = performance.now();
  await db.execute(`create or replace temp table bench_floor as
    select customer_id, count(*) as orders, sum(paid_amount) as paid,
           min(ordered_at) as first_at, max(ordered_at) as last_at
    from raw.orders
    group by customer_id`);
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      project: { type: "string" },
      select: { type: "string" },
      baseline: { type: "string" },
      "memory-limit": { type: "string" },
      out: { type: "string" },
    },
  });
  if (!values.project) throw new Error("--project DIR is required (a project with a loaded warehouse)");
  const projectDir = resolve(values.project);
  const limits = values["memory-limit"] ? { memoryLimit: values["memory-limit"] } : {};
  const open = (path: string, options = {}) => openDuckDB(path, { ...options, ...limits });

  const db = await open(join(projectDir, "target", "warehouse.duckdb"));
  const floorSeconds = await floor(db).finally(() => db.close());
  const outcome = await runProject(
    {
      projectDir,
      open,
      invocation: "run",
      steps: { sources: false, seeds: true, models: true, tests: false },
      ...(values.select ? { select: values.select } : {}),
      // One model at a time: each node's seconds are its own, not shared with its neighbours.
      threads: 1,
    },
    quietEffects(),
  );
  if (outcome.failures.length > 0) throw new Error(outcome.failures.map((error) => error.message).join("\n"));
  const runResults = JSON.parse(await readFile(join(projectDir, "target", "run_results.json"), "utf8"));
  const baseline = values.baseline
    ? nodeSeconds(JSON.parse(await readFile(resolve(values.baseline), "utf8")))
    : undefined;
  const table = renderTable(nodeSeconds(runResults), floorSeconds, baseline);
  const text = `Floor (one group by customer_id of raw.orders): ${floorSeconds.toFixed(2)} s\n\n${table}\n`;
  if (values.out) await writeFile(values.out, text);
  process.stdout.write(text);
}

if (import.meta.main) await main();
