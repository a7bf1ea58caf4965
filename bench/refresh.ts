/**
 * The nightly refresh benchmark (issue 8): on the demo shop of N orders, a warehouse is built
 * from every day but the last; then the last day arrives as new files (orders, items, reviews
 * and contacts of that day in their daily-drop folders; a new full CRM export) and
 * `huitou build` refreshes it incrementally. The baseline is `huitou build --full-refresh` of the
 * same final files. Each build runs in a process of its own (bench/stage.ts). The refreshed
 * warehouse must agree with the full rebuild: every published mart and the incremental tables
 * are fingerprinted after each and compared.
 *
 *   npx node bench/refresh.ts [--orders 1e7] [--runs 1] [--memory-limit 5GB] [--work DIR]
 *
 * Writes bench/results-refresh.md; the split shop is cached in bench/cache/refresh-<N>-seed42.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml, stringify } from "yaml";
import { openDuckDB } from "../src/engine/adapters/duckdb.ts";
import { type Measurement, measure } from "./measure.ts";
import { customersFor, shopDir } from "./shop.ts";

const ROOT = join(import.meta.dirname, "..");
const CACHE = join(ROOT, "bench", "cache");
const SEED = 42;
/** Tables a shop drops one file a day for (the rest are whole exports). */
const DAILY = {
  orders: "ordered_at",
  order_items: null,
  reviews: "created_at",
  campaign_contacts: "contacted_at",
};
const WHOLE = ["products", "campaigns", "marketing_spend"];

const { values } = parseArgs({
  options: {
    orders: { type: "string", default: "1e7" },
    runs: { type: "string", default: "1" },
    "memory-limit": { type: "string" },
    timeout: { type: "string", default: "3600" },
    // A directory of one's own for the split shop, builds, logs and results (parallel runs).
    work: { type: "string" },
  },
});
const orders = Math.round(Number(values.orders));
const runs = Number(values.runs);
const limit = values["memory-limit"] ? { memoryLimit: values["memory-limit"] } : {};

/** Splits the cached shop into history (every day but the last) and the last day. */
async function split(shop: string, parts: string): Promise<string> {
  if (existsSync(join(parts, "done"))) return (await readFile(join(parts, "done"), "utf8")).trim();
  await mkdir(parts, { recursive: true });
  const db = await openDuckDB(":memory:");
  const csv = (table: string) =>
    `read_csv('${join(shop, `${table}.csv`)}', all_varchar = true, header = true)`;
  const copy = (sql: string, file: string) =>
    db.execute(`copy (${sql}) to '${join(parts, file)}' (format csv, header true)`);
  const { rows } = await db.query(
    `select max(try_cast(ordered_at as timestamp)::date)::varchar as day from ${csv("orders")}`,
  );
  const day = String(rows[0]?.day);
  await db.execute(`create table order_days as
      select order_id, coalesce(try_cast(ordered_at as timestamp)::date = '${day}', false) as last_day from ${csv("orders")}`);
  for (const [table, column] of Object.entries(DAILY)) {
    const isLast = column
      ? `coalesce(try_cast(${column} as timestamp)::date = '${day}', false)`
      : `order_id in (select order_id from order_days where last_day)`;
    await copy(`select * from ${csv(table)} where not (${isLast})`, `${table}-1-history.csv`);
    await copy(`select * from ${csv(table)} where ${isLast}`, `${table}-2-${day}.csv`);
  }
  await copy(
    `select * from ${csv("customers")} where coalesce(try_cast(created_at as timestamp)::date < '${day}', true)`,
    "customers-history.csv",
  );
  await db.close();
  await writeFile(join(parts, "done"), `${day}\n`);
  return day;
}

/** The data folder as it stands before (`history`) or after (`final`) the last day arrived. */
async function stage(data: string, shop: string, parts: string, day: string, when: "history" | "final") {
  await rm(data, { recursive: true, force: true });
  for (const table of Object.keys(DAILY)) {
    await mkdir(join(data, table), { recursive: true });
    await symlink(join(parts, `${table}-1-history.csv`), join(data, table, "1-history.csv"));
    if (when === "final")
      await symlink(join(parts, `${table}-2-${day}.csv`), join(data, table, `2-${day}.csv`));
  }
  const customers = when === "final" ? join(shop, "customers.csv") : join(parts, "customers-history.csv");
  await symlink(customers, join(data, "customers.csv"));
  for (const table of WHOLE) await symlink(join(shop, `${table}.csv`), join(data, `${table}.csv`));
}

/** A project linking the live models, with sources/shop.yml declaring the daily-drop folders. */
async function project(dir: string): Promise<void> {
  // A real folder of its own: were `sources` a link into the repository (an older work dir),
  // the rewritten shop.yml would land in the repository's own sources/.
  await rm(join(dir, "sources"), { recursive: true, force: true });
  await mkdir(join(dir, "sources"), { recursive: true });
  for (const entry of ["huitou_project.yml", "models", "seeds", "macros", "tests"]) {
    await rm(join(dir, entry), { force: true });
    await symlink(join(ROOT, entry), join(dir, entry));
  }
  const yaml = parseYaml(await readFile(join(ROOT, "sources", "shop.yml"), "utf8"));
  for (const table of yaml.sources[0].tables as { name: string; load?: unknown }[]) {
    if (table.name in DAILY) table.load = { path: `${table.name}/*.csv`, mode: "append" };
  }
  await writeFile(join(dir, "sources", "shop.yml"), stringify(yaml));
}

/** count and an order-free hash of every published mart and incremental table, doubles rounded. */
async function fingerprint(projectDir: string): Promise<Map<string, string>> {
  const manifest = JSON.parse(await readFile(join(projectDir, "target", "manifest.json"), "utf8"));
  const names = Object.values(
    manifest.nodes as Record<string, { resource_type: string; name: string; tags: string[] }>,
  )
    .filter((node) => node.resource_type === "model" && node.tags.includes("published"))
    .map((node) => node.name);
  names.push("int_purchases", "int_purchase_items");
  const db = await openDuckDB(join(projectDir, "target", "warehouse.duckdb"), { readOnly: true });
  const out = new Map<string, string>();
  for (const name of names.sort()) {
    const { rows: columns } = await db.query(
      `select column_name, data_type from information_schema.columns where table_name = $name order by ordinal_position`,
      { name },
    );
    const parts = columns
      .filter((column) => !String(column.column_name).startsWith("_"))
      .map((column) =>
        /DOUBLE|FLOAT/.test(String(column.data_type))
          ? `round("${column.column_name}", 6)`
          : `"${column.column_name}"`,
      );
    const { rows } = await db.query(
      `select count(*)::varchar || ':' || coalesce(sum(hash(${parts.join(", ")}))::varchar, '') as f from "${name}"`,
    );
    out.set(name, String(rows[0]?.f));
  }
  await db.close();
  return out;
}

function seconds(result: Measurement): string {
  return "stopped" in result
    ? `stopped after ${result.stopped.afterSeconds.toFixed(0)} s`
    : (result.wallMs / 1000).toFixed(1);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] as number;

async function main(): Promise<void> {
  const shop = shopDir(CACHE, orders, SEED);
  if (!existsSync(join(shop, "bench-meta.json"))) {
    throw new Error(
      `no cached shop of ${orders} orders: run npm run bench -- --orders ${orders} --stages generate (${customersFor(orders)} customers)`,
    );
  }
  const work = values.work ? resolve(values.work) : undefined;
  const base = join(work ?? CACHE, `refresh-${orders}-seed${SEED}`);
  const parts = join(base, "parts");
  const data = join(base, "data");
  const projectDir = join(base, "project");
  const day = await split(shop, parts);
  await project(projectDir);
  const timeoutMs = Number(values.timeout) * 1000;
  const logs = join(work ?? CACHE, "logs");
  await mkdir(logs, { recursive: true });
  const build = (name: string, run: number, extra: { keepWarehouse?: boolean; fullRefresh?: boolean }) =>
    measure(
      {
        stage: "build",
        projectDir,
        dataDir: data,
        siteDir: join(projectDir, "site"),
        floors: false,
        ...extra,
        ...limit,
      },
      join(logs, `refresh-${orders}-${name}-run${run}.log`),
      timeoutMs,
    );
  const rows: {
    run: number;
    initial: Measurement;
    refresh: Measurement;
    full: Measurement;
    same: string[];
    differ: string[];
  }[] = [];
  for (let run = 1; run <= runs; run++) {
    await stage(data, shop, parts, day, "history");
    const initial = await build("initial", run, {});
    console.log(`run ${run}: initial build of the history ${seconds(initial)} s`);
    await stage(data, shop, parts, day, "final");
    const refreshed = await build("refresh", run, { keepWarehouse: true });
    console.log(`run ${run}: incremental refresh adding ${day} ${seconds(refreshed)} s`);
    const after = await fingerprint(projectDir);
    const full = await build("full", run, { fullRefresh: true });
    console.log(`run ${run}: full rebuild ${seconds(full)} s`);
    const rebuilt = await fingerprint(projectDir);
    const same = [...after].filter(([name, value]) => rebuilt.get(name) === value).map(([name]) => name);
    const differ = [...after].filter(([name, value]) => rebuilt.get(name) !== value).map(([name]) => name);
    console.log(
      `run ${run}: ${same.length} tables agree, ${differ.length} differ${differ.length ? `: ${differ.join(", ")}` : ""}`,
    );
    rows.push({ run, initial, refresh: refreshed, full, same, differ });
  }
  const results = join(work ?? join(ROOT, "bench"), "results-refresh.md");
  await writeFile(results, report(day, rows));
  console.log(`wrote ${results}`);
}

type Row = {
  run: number;
  initial: Measurement;
  refresh: Measurement;
  full: Measurement;
  same: string[];
  differ: string[];
};

function report(day: string, rows: Row[]): string {
  const done = (m: Measurement) => ("stopped" in m ? undefined : m);
  const wall = (pick: (row: Row) => Measurement) =>
    rows
      .map((row) => done(pick(row))?.wallMs)
      .filter((x): x is number => x !== undefined)
      .map((ms) => ms / 1000);
  const ratios = rows.flatMap((row) => {
    const refresh = done(row.refresh);
    const full = done(row.full);
    return refresh && full ? [refresh.wallMs / full.wallMs] : [];
  });
  const spans = (m: Measurement) => {
    const result = done(m);
    if (!result) return "";
    const extra = result.extra as {
      spans?: Record<string, number>;
      siteMs?: number;
      nodes?: { id: string; seconds: number }[];
    };
    const s = extra.spans ?? {};
    return `load ${s.load?.toFixed(1) ?? "–"} s, models ${s.models?.toFixed(1) ?? "–"} s, tests ${s.tests?.toFixed(1) ?? "–"} s, site ${((extra.siteMs ?? 0) / 1000).toFixed(1)} s`;
  };
  const slowest = (m: Measurement) => {
    const result = done(m);
    const nodes = (result?.extra as { nodes?: { id: string; seconds: number }[] } | undefined)?.nodes ?? [];
    return nodes
      .slice(0, 6)
      .map((node) => `${node.id.split(".").pop()} ${node.seconds.toFixed(1)} s`)
      .join(", ");
  };
  const last = rows[rows.length - 1] as Row;
  const line = (label: string, pick: (row: Row) => Measurement) => {
    const xs = wall(pick);
    const rss = rows.map((row) => done(pick(row))?.peakRssMb ?? 0);
    return `| ${label} | ${xs.length ? median(xs).toFixed(1) : "–"} (${xs.map((x) => x.toFixed(1)).join(", ")}) | ${median(rss).toFixed(0)} | ${spans(pick(last))} |`;
  };
  return `# Incremental refresh benchmark

Written by \`npx node bench/refresh.ts --orders ${orders}\` (bench/refresh.ts). The demo shop of ${orders.toLocaleString("en-US")} requested orders (seed ${SEED}) is split at its last day, ${day}: the warehouse is built from the history, then the day's orders, items, reviews and contacts arrive as new files in their daily-drop folders (\`load.mode: append\`) with a new full CRM export, and \`huitou build\` refreshes. The baseline is \`huitou build --full-refresh\` of the same final files. Each build, site included, in a process of its own; seconds are wall time, median of ${rows.length} run(s) (each run listed).

Machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GB, Node ${process.version}; ${limit.memoryLimit ? `DuckDB memory_limit ${limit.memoryLimit}` : "DuckDB memory_limit default"}; 1-minute load average at the end: ${loadavg()[0]?.toFixed(1)}.

| build | seconds: median (runs) | peak RSS MB | where the time went (last run) |
|---|---|---|---|
${line("initial build (history)", (row) => row.initial)}
${line(`incremental refresh (+ ${day})`, (row) => row.refresh)}
${line("full rebuild (--full-refresh)", (row) => row.full)}

Refresh / full rebuild, within each run: ${ratios.map((r) => r.toFixed(3)).join(", ") || "–"} (median ${ratios.length ? median(ratios).toFixed(3) : "–"}).

Slowest nodes of the refresh (last run): ${slowest(last.refresh)}.
Slowest nodes of the full rebuild (last run): ${slowest(last.full)}.

Agreement (last run): ${last.same.length} tables (every published mart, int_purchases, int_purchase_items) have the same row count and order-free hash (doubles rounded to 6 decimals) after the refresh as after the full rebuild${last.differ.length ? `; **${last.differ.length} differ: ${last.differ.join(", ")}**` : "; none differs"}.
`;
}

await main();
