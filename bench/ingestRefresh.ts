/**
 * Benchmark (not a test): the nightly reload of a full CRM export (issue 8). A warehouse holding
 * raw.customers from the previous export (the refresh benchmark's customers-history.csv) is
 * built once; each run copies it and reloads the final customers.csv into the copy, as a
 * nightly `huitou build` does in warehouse.next.duckdb, then checkpoints. Only customers is
 * declared, so the time is the replace-mode reload and nothing else. `--profile` prints the
 * seconds of every statement of the last run. The result's fingerprint (every column of
 * raw.customers with _loaded_at, row_deletions, quarantine, loaded_files counts) is printed so
 * that two versions of the loader can be compared.
 *
 *   npx node bench/ingestRefresh.ts [--orders 1e7] [--runs 3] [--work /tmp/bench-ingest] [--profile] [--initial]
 *
 * Needs bench/cache/refresh-<N>-seed42/parts (made by bench/refresh.ts) and the cached shop.
 */
import { existsSync } from "node:fs";
import { copyFile, mkdir, rm, symlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Adapter } from "../src/engine/adapters/adapter.ts";
import { openDuckDB } from "../src/engine/adapters/duckdb.ts";
import { loadSources } from "../src/ingest/loadSources.ts";
import { readSources } from "../src/ingest/readSources.ts";
import { shopDir } from "./shop.ts";

const { values } = parseArgs({
  options: {
    orders: { type: "string", default: "1e7" },
    runs: { type: "string", default: "3" },
    work: { type: "string", default: "/tmp/bench-ingest" },
    profile: { type: "boolean", default: false },
    // Time the first load of the previous export into an empty warehouse instead (what a full
    // build pays, fingerprints included).
    initial: { type: "boolean", default: false },
  },
});
const orders = Math.round(Number(values.orders));
const runs = Number(values.runs);
const work = resolve(values.work!, `customers-${orders}`);
const root = join(import.meta.dirname, "..");
const cache = join(import.meta.dirname, "cache");
const history = join(cache, `refresh-${orders}-seed42`, "parts", "customers-history.csv");
const final = join(shopDir(cache, orders, 42), "customers.csv");
if (!existsSync(history)) throw new Error(`no ${history}: run bench/refresh.ts --orders ${orders} first`);

/** Wraps an adapter so that each statement's seconds are listed. */
function profiled(adapter: Adapter, log: string[]): Adapter {
  const timed =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      try {
        return await fn(...args);
      } finally {
        const seconds = (performance.now() - start) / 1000;
        const used = process.cpuUsage(cpuStart);
        if (seconds >= 0.05) {
          const sql = String(args[0]).replace(/\s+/g, " ").slice(0, 100);
          const cpu = (used.user + used.system) / 1e6;
          log.push(`${seconds.toFixed(2).padStart(7)} s ${cpu.toFixed(2).padStart(6)} cpu  ${sql}`);
        }
      }
    };
  return {
    ...adapter,
    execute: timed(adapter.execute.bind(adapter)),
    query: timed(adapter.query.bind(adapter)),
    close: adapter.close.bind(adapter),
  };
}

const tables = (await readSources(root)).filter((table) => table.name === "customers");
for (const table of tables) delete table.freshness;
const options = (dataDir: string, day: string) => ({
  projectDir: root,
  dataDir,
  timezone: "Asia/Shanghai",
  now: new Date(`${day}T00:00:00Z`),
  piiSalt: "bench",
  onProgress: () => {},
});
const dataDir = async (name: string, file: string) => {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  await rm(join(dir, "customers.csv"), { force: true });
  await symlink(file, join(dir, "customers.csv"));
  return dir;
};
const previousDir = await dataDir("previous", history);
const finalDir = await dataDir("final", final);
const previous = join(work, "previous.duckdb");
if (!existsSync(previous)) {
  const db = await openDuckDB(join(work, "previous.tmp.duckdb"));
  await loadSources(db, tables, options(previousDir, "2026-01-01"));
  await db.execute("checkpoint");
  await db.close();
  await copyFile(join(work, "previous.tmp.duckdb"), previous);
  await rm(join(work, "previous.tmp.duckdb"));
}

const times: number[] = [];
// CPU time (every DuckDB thread of this process) is what the reload costs, and stays meaningful
// on a machine shared with other jobs; wall time is what a user waits.
const cpus: number[] = [];
let log: string[] = [];
for (let run = 1; run <= runs; run++) {
  const path = join(work, "run.duckdb");
  await rm(path, { force: true });
  if (!values.initial) await copyFile(previous, path);
  log = [];
  const raw = await openDuckDB(path);
  const db = values.profile ? profiled(raw, log) : raw;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const [report] = await loadSources(
    db,
    tables,
    options(values.initial ? previousDir : finalDir, "2026-01-02"),
  );
  await db.execute("checkpoint");
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpuStart);
  const cpu = (used.user + used.system) / 1e6;
  times.push(seconds);
  cpus.push(cpu);
  const { rows } = await raw.query(`select
      (select count(*) from raw.customers) as n,
      (select count(*) from raw.customers where _loaded_at = '2026-01-02 08:00:00') as fresh,
      (select sum(hash(c))::varchar from raw.customers as c) as fingerprint,
      (select count(*) || '/' || coalesce(sum(rows), 0) from raw.row_deletions) as deletions,
      (select count(*) from raw.quarantine) as quarantined,
      (select string_agg(rows_in || '=' || rows_loaded || '+' || rows_rejected, ',') from raw.loaded_files) as files`);
  const row = rows[0]!;
  console.log(
    `run ${run}: ${seconds.toFixed(2)} s wall, ${cpu.toFixed(2)} s cpu (${report?.refresh}, ${report?.rowsLoaded} loaded, ${report?.rowsRejected} rejected); rows ${row.n}, _loaded_at new ${row.fresh}, deletions ${row.deletions}, quarantine ${row.quarantined}, files ${row.files}, fingerprint ${row.fingerprint}`,
  );
  await raw.close();
  await rm(path, { force: true });
}
if (values.profile) console.log(`statements of the last run (>= 0.05 s):\n${log.join("\n")}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
console.log(
  `${orders.toLocaleString("en-US")} orders: ${values.initial ? "first load" : "reload"} of customers.csv, median of ${runs}: ${median(times).toFixed(2)} s wall, ${median(cpus).toFixed(2)} s cpu`,
);
