/**
 * Engine benchmark (not a test): 30 chained models over 10 million rows. Reports, per run, the
 * wall time of `runProject`, the time during which a DuckDB statement was running, and the
 * difference: the engine's own overhead (planning, templating, scheduling, file moves,
 * artifacts). Target: overhead under 1 second.
 *
 *   npx node bench/engine.ts [--runs 3] [--rows 10000000]
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { quietEffects } from "../src/engine/effects.ts";
import { runProject } from "../src/engine/session.ts";

const MODELS = 30;

async function project(rows: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "huitou-bench-"));
  await writeFile(join(dir, "huitou_project.yml"), "name: bench\nmodels:\n  +materialized: view\n");
  const { mkdir } = await import("node:fs/promises");
  await mkdir(join(dir, "models"));
  const name = (i: number) => `m${String(i).padStart(2, "0")}`;
  await writeFile(
    join(dir, "models", `${name(1)}.sql`),
    `{{ config(materialized='table') }}
select
    range as order_id,
    range % 100000 as customer_id,
    (range % 997)::decimal(18,2) as amount,
    date '2024-01-01' + (range % 365)::integer as order_date
from range(${rows})
`,
  );
  for (let i = 2; i <= MODELS; i++) {
    // Every fifth model and the last are tables (each reads the whole chain above it).
    const table = i % 5 === 0 || i === MODELS;
    await writeFile(
      join(dir, "models", `${name(i)}.sql`),
      `${table ? "{{ config(materialized='table') }}\n" : ""}select
    order_id,
    customer_id,
    amount + 1 as amount,
    order_date
from {{ ref('${name(i - 1)}') }}
where order_id >= 0
`,
    );
  }
  return dir;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const { values } = parseArgs({ options: { runs: { type: "string" }, rows: { type: "string" } } });
const runs = Number(values.runs ?? 3);
const rows = Number(values.rows ?? 10_000_000);
const dir = await project(rows);
const measured: { wall: number; database: number; overhead: number }[] = [];
try {
  for (let run = 1; run <= runs; run++) {
    // Every run rebuilds all 30 models; the first starts without a warehouse, later ones replace it.
    const started = performance.now();
    const outcome = await runProject(
      {
        projectDir: dir,
        invocation: "run",
        steps: { sources: false, seeds: true, models: true, tests: false },
      },
      quietEffects(),
    );
    const wall = performance.now() - started;
    if (outcome.failures.length > 0)
      throw new Error(outcome.failures.map((error) => error.message).join("\n"));
    const built = outcome.results.filter((result) => result.status === "success").length;
    measured.push({ wall, database: outcome.databaseMs, overhead: wall - outcome.databaseMs });
    console.log(
      `run ${run}: ${built} models, wall ${(wall / 1000).toFixed(2)}s, in DuckDB ${(outcome.databaseMs / 1000).toFixed(2)}s, overhead ${(
        (wall - outcome.databaseMs) / 1000
      ).toFixed(3)}s`,
    );
  }
  const pick = (key: "wall" | "database" | "overhead") => median(measured.map((one) => one[key])) / 1000;
  console.log(
    `median of ${runs} runs (${MODELS} chained models, ${rows.toLocaleString("en-US")} rows): wall ${pick("wall").toFixed(2)}s, in DuckDB ${pick("database").toFixed(2)}s, engine overhead ${pick("overhead").toFixed(3)}s (target < 1s)`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
