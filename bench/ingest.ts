/**
 * Benchmark (not a test): loading N orders (default 10 million) from CSV with huitou's
 * validation, against a plain `read_csv` of the same file into a table, measured in one run
 * on the same machine; the target is a ratio <= 2. The CSV is generated once by DuckDB from
 * `range()` into bench/cache/ (ignored by git). A few rows carry problems so the reject path,
 * line-number scan included, is part of what is measured.
 *
 *   npx node bench/ingest.ts [--rows 10000000] [--runs 1]
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openDuckDB } from "../src/engine/adapters/duckdb.ts";
import { loadSources } from "../src/ingest/loadSources.ts";
import { readSources } from "../src/ingest/readSources.ts";

const { values } = parseArgs({
  options: { rows: { type: "string", default: "10000000" }, runs: { type: "string", default: "1" } },
});
const rows = Number(values.rows);
const runs = Number(values.runs);
const root = join(import.meta.dirname, "..");
const cache = join(import.meta.dirname, "cache");
const dataDir = join(cache, `orders-${rows}`);
const csv = join(dataDir, "orders.csv");
mkdirSync(dataDir, { recursive: true });

if (!existsSync(csv)) {
  const db = await openDuckDB(":memory:");
  // One row in 1,000,000 has a negative amount and one in 2,000,000 repeats an order id.
  await db.execute(`copy (
      select
          lpad((100000000000000000 + case when i % 2000000 = 7 then i - 1 else i end)::varchar, 18, '0') as order_id,
          case when i % 10 = 0 then 'P' || (i // 10) end as parent_order_id,
          lpad((i % 1000003)::varchar, 8, '0') as customer_id,
          strftime(timestamp '2022-01-01' + to_seconds(i * 6), '%Y-%m-%d %H:%M:%S') as ordered_at,
          case when i % 20 = 0 then 'refunded' when i % 33 = 0 then 'cancelled' else 'paid' end as status,
          ['wechat', 'app', 'tmall', 'store'][i % 4 + 1] as channel,
          (100 + i % 900)::decimal(18,2) + 0.5 as gross_amount,
          (i % 7)::decimal(18,2) as discount_amount,
          case when i % 1000000 = 3 then -1 else (100 + i % 900 - i % 7)::decimal(18,2) + 0.5 end as paid_amount,
          case when i % 20 = 0 then (100 + i % 900 - i % 7)::decimal(18,2) + 0.5 end as refunded_amount,
          case when i % 20 = 0 then strftime(timestamp '2022-01-03' + to_seconds(i * 6), '%Y-%m-%d %H:%M:%S') end as refunded_at,
          case when i % 9 = 0 then 'C' || (i % 50) end as coupon_code,
          case when i % 11 = 0 then 'K' || (i % 30) end as campaign_id
      from range(${rows}) as t(i)
  ) to '${csv}' (header, delimiter ',')`);
  await db.close();
}

const tables = (await readSources(root)).filter((table) => table.name === "orders");
for (const table of tables) delete table.freshness;
// Wall time is what a user waits; CPU time (all DuckDB threads of this process) is what the
// work costs, and stays meaningful on a machine shared with other jobs.
const timings: { plain: number; validated: number; plainCpu: number; validatedCpu: number }[] = [];
const cpu = (since?: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return since ? (used.user + used.system) / 1000 : used;
};
for (let run = 0; run < runs; run++) {
  const plainPath = join(cache, "plain.duckdb");
  const loadPath = join(cache, "validated.duckdb");
  for (const path of [plainPath, loadPath]) rmSync(path, { force: true });

  const plainDb = await openDuckDB(plainPath);
  // Warm the page cache so neither side pays for the first read of the file.
  await plainDb.query(`select count(*) from read_csv('${csv}', all_varchar = true)`);
  let start = performance.now();
  let cpuStart = cpu() as NodeJS.CpuUsage;
  await plainDb.execute(`create table orders as select * from read_csv('${csv}')`);
  await plainDb.execute("checkpoint");
  const plain = performance.now() - start;
  const plainCpu = cpu(cpuStart) as number;
  await plainDb.close();

  const loadDb = await openDuckDB(loadPath);
  start = performance.now();
  cpuStart = cpu() as NodeJS.CpuUsage;
  const [report] = await loadSources(loadDb, tables, {
    projectDir: root,
    dataDir,
    timezone: "Asia/Shanghai",
    now: new Date("2030-01-01T00:00:00Z"),
    piiSalt: "bench",
  });
  await loadDb.execute("checkpoint");
  const validated = performance.now() - start;
  const validatedCpu = cpu(cpuStart) as number;
  // The planted problems, in line order by construction: row i is on line i + 2 (header, 0-based i).
  const expected: string[] = [];
  for (let i = 0; i < rows; i++) {
    if (i % 1000000 === 3) expected.push(`${i + 2} negative_amount`);
    if (i % 2000000 === 7) expected.push(`${i + 1} duplicate_key`, `${i + 2} duplicate_key`);
  }
  const { rows: quarantined } = await loadDb.query(
    "select line || ' ' || reason as r from raw.quarantine order by line",
  );
  const found = quarantined.map((row) => String(row.r));
  console.log(`quarantine as planted: ${JSON.stringify(found) === JSON.stringify(expected)}`);
  await loadDb.close();
  timings.push({ plain, validated, plainCpu, validatedCpu });
  console.log(
    `run ${run + 1}: plain read_csv ${(plain / 1000).toFixed(2)} s (cpu ${(plainCpu / 1000).toFixed(2)} s), validated load ${(validated / 1000).toFixed(2)} s (cpu ${(validatedCpu / 1000).toFixed(2)} s), ratio ${(validated / plain).toFixed(2)} wall, ${(validatedCpu / plainCpu).toFixed(2)} cpu (${report?.rowsLoaded} loaded, ${report?.rowsRejected} rejected)`,
  );
  for (const path of [plainPath, loadPath]) rmSync(path, { force: true });
}
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `${rows.toLocaleString("en-US")} orders, median of ${runs}: ratio ${median(timings.map((t) => t.validated / t.plain)).toFixed(2)} wall, ${median(timings.map((t) => t.validatedCpu / t.plainCpu)).toFixed(2)} cpu (target <= 2)`,
);
