/**
 * The engine-facing load: every contract column present and typed, absent optional tables
 * empty, Parquet and several files per table, reports and freshness. Expected values by hand.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Adapter } from "../../src/engine/adapters/adapter.ts";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import type { SourceTable } from "../../src/ingest/api.ts";
import { CONTRACT, SQL_TYPE } from "../../src/ingest/contract.ts";
import { freshnessStatus } from "../../src/ingest/freshness.ts";
import { loadSources } from "../../src/ingest/loadSources.ts";
import { parseSourcesYaml, readSources } from "../../src/ingest/readSources.ts";

const ROOT = join(import.meta.dirname, "../..");
const NOW = new Date("2024-06-01T00:00:00Z"); // 08:00 in Asia/Shanghai
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "huitou-load-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function folder(name: string, files: Record<string, string>): Promise<string> {
  const path = join(dir, name);
  await mkdir(path, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(path, file), text);
  return path;
}

async function load(
  dataDir: string,
  tables?: SourceTable[],
): Promise<{ db: Adapter; reports: Awaited<ReturnType<typeof loadSources>> }> {
  const db = await openDuckDB(":memory:");
  const reports = await loadSources(db, tables ?? (await readSources(ROOT)), {
    projectDir: ROOT,
    dataDir,
    timezone: "Asia/Shanghai",
    now: NOW,
    piiSalt: "t",
  });
  return { db, reports };
}

const MINIMAL = {
  "customers.csv": "customer_id,created_at\nc1,2024-01-01\n",
  "orders.csv":
    "order_id,customer_id,ordered_at,status,paid_amount,extra\no1,c1,2024-05-31 20:00:00,paid,10.005,x\n",
};

describe("loadSources", () => {
  it("creates every contract table with every column typed, _loaded_at last, optional ones empty", async () => {
    const { db } = await load(await folder("minimal", MINIMAL));
    for (const table of CONTRACT) {
      const { rows } = await db.query(`describe raw.${table.name}`);
      expect([table.name, rows.map((row) => [row.column_name, row.column_type])]).toEqual([
        table.name,
        [...table.columns.map((column) => [column.name, SQL_TYPE[column.kind]]), ["_loaded_at", "TIMESTAMP"]],
      ]);
    }
    // The load time in shop time: 2024-06-01 00:00 UTC is 08:00 in Shanghai.
    expect((await db.query("select _loaded_at from raw.orders")).rows).toEqual([
      { _loaded_at: "2024-06-01 08:00:00" },
    ]);
    const { rows } = await db.query(
      "select (select count(*) from raw.reviews) as reviews, paid_amount, gross_amount from raw.orders",
    );
    // 10.005 rounds half away from zero to 10.01; the absent optional column is NULL.
    expect(rows).toEqual([{ reviews: 0, paid_amount: 10.01, gross_amount: null }]);
    await db.close();
  });

  it("reports counts and freshness per table", async () => {
    const { db, reports } = await load(await folder("report", MINIMAL));
    const orders = reports.find((report) => report.table === "orders")!;
    // Newest order 2024-05-31 20:00, load at 2024-06-01 08:00 shop time: 12 hours, under 36.
    expect(orders).toEqual({
      table: "orders",
      files: ["orders.csv"],
      filesRead: ["orders.csv"],
      rowsIn: 1,
      rowsLoaded: 1,
      rowsRejected: 0,
      rowsSuperseded: 0,
      refresh: "full",
      rowsWritten: 1,
      freshness: {
        loadedAtField: "ordered_at",
        maxLoadedAt: "2024-05-31 20:00:00",
        ageHours: 12,
        status: "pass",
      },
    });
    const { rows } = await db.query(
      `select source, "check" from raw.load_report where source = 'orders' order by all`,
    );
    expect(rows.map((row) => row.check)).toEqual([
      "duplicate_key",
      "duplicate_row",
      "future_timestamp",
      "load",
      "malformed_row",
      "missing_required_value",
      "negative_amount",
      "order_customer_unknown",
      "status_amount_mismatch",
      "unknown_status",
      "unparseable_number",
      "unparseable_timestamp",
      "zero_value_purchase",
    ]);
    const fresh = await db.query("select status, age_hours, checked_at from raw.source_freshness");
    expect(fresh.rows).toEqual([{ status: "pass", age_hours: 12, checked_at: "2024-06-01 08:00:00" }]);
    await db.close();
  });

  it("reads Parquet, converting an instant to shop time, with lines as row numbers", async () => {
    const data = await folder("parquet", { "customers.csv": MINIMAL["customers.csv"] });
    const writer = await openDuckDB(":memory:");
    await writer.execute(`copy (select * from (values
        ('o1', 'c1', timestamptz '2024-03-01 02:00:00+00', 'paid', 10.5::decimal(18,2)),
        ('o2', 'c1', timestamptz '2024-03-01 03:00:00+00', 'paid', -1::decimal(18,2))
      ) t(order_id, customer_id, ordered_at, status, paid_amount)) to '${join(data, "orders.parquet")}' (format parquet)`);
    await writer.close();
    const { db } = await load(data);
    // 02:00 UTC = 10:00 in Shanghai; row 2 (line 2: no header) is negative.
    expect((await db.query("select order_id, ordered_at, paid_amount from raw.orders")).rows).toEqual([
      { order_id: "o1", ordered_at: "2024-03-01 10:00:00", paid_amount: 10.5 },
    ]);
    expect((await db.query("select file, line, reason from raw.quarantine")).rows).toEqual([
      { file: "orders.parquet", line: 2, reason: "negative_amount" },
    ]);
    await db.close();
  });

  it("reads every file a glob matches, with lines per file and duplicates across files", async () => {
    const header = "order_id,customer_id,ordered_at,status,paid_amount\n";
    const data = await folder("glob", {
      "customers.csv": MINIMAL["customers.csv"],
      "orders_2024-01.csv": `${header}o1,c1,2024-01-05,paid,10\no2,c1,2024-01-06,paid,x\n`,
      "orders_2024-02.csv": `${header}o3,c1,2024-02-05,paid,10\no1,c1,2024-01-05,paid,10\n`,
    });
    const tables = parseSourcesYaml(
      "sources:\n  - name: shop\n    tables:\n      - name: customers\n      - name: orders\n        load:\n          path: orders_*.csv\n",
      "s.yml",
    );
    const { db, reports } = await load(data, tables);
    // o2 (line 3 of January) is unparseable; o1 again in February (line 3) is an exact copy.
    expect((await db.query("select file, line, reason from raw.quarantine order by file")).rows).toEqual([
      { file: "orders_2024-01.csv", line: 3, reason: "unparseable_number" },
      { file: "orders_2024-02.csv", line: 3, reason: "duplicate_row" },
    ]);
    expect(reports.find((report) => report.table === "orders")).toMatchObject({
      rowsIn: 4,
      rowsLoaded: 2,
      rowsRejected: 2,
    });
    await db.close();
  });
});

describe("freshnessStatus", () => {
  it("compares the age with warn and error limits; no rows is as stale as can be", () => {
    expect(freshnessStatus(12, 36, 168)).toBe("pass");
    expect(freshnessStatus(37, 36, 168)).toBe("warn");
    expect(freshnessStatus(169, 36, 168)).toBe("error");
    expect(freshnessStatus(null, 36)).toBe("warn");
    expect(freshnessStatus(1000)).toBe("pass");
  });
});
