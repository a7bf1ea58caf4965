/**
 * The daily shop of tests/fixtures/ingest-daily as a test harness: data dirs that receive one
 * day's orders and order_items files at a time, and source loads on a DuckDB file at a fixed
 * time of each day, as a nightly build runs them.
 */
import { cp, mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Row } from "../../src/engine/adapters/adapter.ts";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import type { SourceLoadReport } from "../../src/ingest/api.ts";
import { loadSources } from "../../src/ingest/loadSources.ts";
import { readSources } from "../../src/ingest/readSources.ts";

export const FIXTURE = join(import.meta.dirname, "../fixtures/ingest-daily");
export const DAYS = ["2024-06-01", "2024-06-02", "2024-06-03"];
// Each run happens at 12:00 UTC of its day: 20:00 shop time in Asia/Shanghai.
export const shop = (day: string) => `${day} 20:00:00`;

/** An empty data dir `root/name` but for customers.csv; addDay brings a day's files. */
export async function dataDir(root: string, name: string): Promise<string> {
  const path = join(root, name);
  await mkdir(join(path, "orders"), { recursive: true });
  await mkdir(join(path, "order_items"), { recursive: true });
  await cp(join(FIXTURE, "customers.csv"), join(path, "customers.csv"));
  return path;
}

/** Copies the orders and order_items files of `day` into `data`. */
export async function addDay(data: string, day: string): Promise<void> {
  for (const table of ["orders", "order_items"]) {
    await cp(join(FIXTURE, table, `${day}.csv`), join(data, table, `${day}.csv`));
  }
}

export interface Run {
  reports: SourceLoadReport[];
  progress: string[];
}

/** One build's source step on the warehouse file `db`, at 20:00 shop time of `day`. */
export async function run(db: string, data: string, day: string, fullRefresh = false): Promise<Run> {
  const adapter = await openDuckDB(db);
  const progress: string[] = [];
  try {
    const reports = await loadSources(adapter, await readSources(FIXTURE), {
      projectDir: FIXTURE,
      dataDir: data,
      timezone: "Asia/Shanghai",
      now: new Date(`${day}T12:00:00Z`),
      piiSalt: "t",
      fullRefresh,
      onProgress: (line) => progress.push(line),
    });
    return { reports, progress };
  } finally {
    await adapter.close();
  }
}

/** The rows of `sql` on the warehouse file `db`, opened read-only. */
export async function query(db: string, sql: string): Promise<Row[]> {
  const adapter = await openDuckDB(db, { readOnly: true });
  try {
    return (await adapter.query(sql)).rows;
  } finally {
    await adapter.close();
  }
}

/** Everything the invariant compares, _loaded_at and load times left out. */
export async function dump(db: string): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const table of ["customers", "orders", "order_items", "products", "reviews"]) {
    out[table] = await query(db, `select * exclude (_loaded_at) from raw.${table} order by all`);
  }
  out.quarantine = await query(db, "select * from raw.quarantine order by all");
  out.load_report = await query(db, "select * from raw.load_report order by all");
  out.loaded_files = await query(db, "select * exclude (loaded_at) from raw.loaded_files order by all");
  return out;
}

/** The report of `table` in a run. */
export const report = (r: Run, table: string) => r.reports.find((one) => one.table === table)!;

/** Rows as arrays of their values, so that a table of expectations reads as a table. */
export async function tuples(db: string, sql: string): Promise<unknown[][]> {
  return (await query(db, sql)).map((row) => Object.values(row));
}
