/**
 * Benchmark (not a test): the clv_model and customer_value nodes as the engine runs them, for
 * 100 thousand, 1 million and 2.5 million buyers. Buyers are simulated from BG/NBD and
 * Gamma-Gamma (whole days over three years, as a warehouse reports them), loaded into a bench
 * warehouse, and shaped into int_clv_summary by SQL; the two TypeScript models are the
 * project's own. Prints the median node times of several runs.
 *
 *   npx node tests/clv/benchWarehouse.ts [runs=3] [sizes=100000,1000000,2500000]
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simulateCustomers } from "../../src/analytics/simulate.ts";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import { quietEffects } from "../../src/engine/effects.ts";
import { runProject } from "../../src/engine/session.ts";

const REPO = join(import.meta.dirname, "../..");
const runs = Number(process.argv[2] ?? 3);
const sizes = (process.argv[3] ?? "100000,1000000,2500000").split(",").map(Number);

const PROJECT = `name: bench
vars:
  clv_time_unit: days
  clv_min_buyers: 500
  clv_min_repeat_buyers: 100
  annual_discount_rate: 0.1
  default_margin_rate: 0.4
models:
  +materialized: table
`;

// The columns of int_clv_summary from the simulated triples: as_of 2024-12-31, the first
// purchase T days before it, revenue = first purchase (the mean spend) + the repeat purchases.
const SUMMARY = `select
    customer_id,
    frequency,
    recency_days,
    t_days,
    monetary_value,
    date '2024-12-31' - t_days as first_purchase_date,
    date '2024-12-31' - t_days + recency_days as last_purchase_date,
    cast(monetary_value * (frequency + 1) as decimal(18, 2)) as historical_revenue,
    cast(monetary_value * (frequency + 1) * 0.4 as decimal(18, 4)) as historical_margin,
from main.bench_buyers
`;

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function project(buyers: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "huitou-bench-clv-"));
  await mkdir(join(dir, "models"));
  await mkdir(join(dir, "target"));
  await writeFile(join(dir, "huitou_project.yml"), PROJECT);
  await writeFile(join(dir, "models/int_as_of.sql"), "select date '2024-12-31' as as_of\n");
  await writeFile(join(dir, "models/int_clv_summary.sql"), SUMMARY);
  for (const name of ["clv_model.ts", "customer_value.ts"]) {
    await cp(join(REPO, "models/marts/clv", name), join(dir, "models", name));
  }
  // Day-scale parameters of a typical shop (bench/clv.ts): a repeat purchase every ~75 days
  // while active, dropout after ~4 purchases, strong heterogeneity; spends rounded to cents.
  const simulated = simulateCustomers({
    customers: buyers,
    seed: 7,
    bgnbd: { r: 0.8, alpha: 60, a: 0.6, b: 2.4 },
    minT: 0,
    maxT: 1095,
    wholeUnits: true,
    gammaGamma: { p: 6, q: 4, v: 15 },
  });
  const db = await openDuckDB(join(dir, "target/warehouse.duckdb"));
  await db.writeColumns?.("bench_buyers", [
    { name: "customer_id", type: "VARCHAR", values: Array.from({ length: buyers }, (_, i) => `c${i}`) },
    { name: "frequency", type: "INTEGER", values: simulated.frequency },
    { name: "recency_days", type: "INTEGER", values: simulated.recency },
    { name: "t_days", type: "INTEGER", values: simulated.T },
    {
      name: "monetary_value",
      type: "DOUBLE",
      values: simulated.monetaryValue.map((m) => Math.round(m * 100) / 100),
    },
  ]);
  await db.close();
  return dir;
}

const NODES = ["clv_model", "customer_value"];
console.log(
  "buyers\tdistinct_triples\tclv_model_s\tclv_model_cpu_s\tcustomer_value_s\tcustomer_value_cpu_s\tboth_s\tboth_cpu_s\teligible",
);
for (const buyers of sizes) {
  const dir = await project(buyers);
  const wall: Record<string, number[]> = { clv_model: [], customer_value: [], both: [] };
  const cpu: Record<string, number[]> = { clv_model: [], customer_value: [], both: [] };
  let distinct = 0;
  let eligible = true;
  try {
    for (let run = 0; run < runs; run++) {
      // Process CPU time (every thread, DuckDB's included) as each node finishes: the two nodes
      // run one after the other, so a node's CPU is the difference from the line before it.
      const effects = quietEffects();
      const finished: { line: string; cpu: number }[] = [];
      effects.logger.info = (line) => {
        const { user, system } = process.cpuUsage();
        finished.push({ line, cpu: (user + system) / 1e6 });
      };
      const outcome = await runProject(
        {
          projectDir: dir,
          invocation: "run",
          steps: { sources: false, seeds: false, models: true, tests: false },
        },
        effects,
      );
      if (outcome.failures.length > 0) throw outcome.failures[0];
      for (const name of NODES) {
        const at = finished.findIndex((entry) => new RegExp(`model\\s+${name}\\s`).test(entry.line));
        wall[name]!.push(outcome.results.find((result) => result.name === name)?.executionTime ?? 0);
        cpu[name]!.push(finished[at]!.cpu - finished[at - 1]!.cpu);
      }
      wall.both!.push(wall.clv_model!.at(-1)! + wall.customer_value!.at(-1)!);
      cpu.both!.push(cpu.clv_model!.at(-1)! + cpu.customer_value!.at(-1)!);
    }
    const db = await openDuckDB(join(dir, "target/warehouse.duckdb"), { readOnly: true });
    const triples = "select distinct frequency, recency_days, t_days from int_clv_summary";
    distinct = Number((await db.query(`select count(*) as n from (${triples})`)).rows[0]?.n);
    eligible = (await db.query("select bool_and(eligible) as ok from clv_model")).rows[0]?.ok === true;
    await db.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const figures = [...NODES, "both"].flatMap((name) => [median(wall[name]!), median(cpu[name]!)]);
  console.log([buyers, distinct, ...figures.map((value) => value.toFixed(2)), eligible].join("\t"));
}
