/**
 * Refreshing a warehouse loaded before (tests/fixtures/ingest-daily: a daily orders and
 * order_items drop in append mode beside a full CRM export in replace mode). The invariant:
 * loading the days one run at a time gives the raw tables, quarantine, load report and file
 * register that loading them all at once gives (except _loaded_at). Each run opens the same
 * DuckDB file, as a build opens its copy of the published warehouse. Expected values by hand
 * from the fixture files.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import {
  addDay,
  DAYS,
  dataDir,
  dump,
  FIXTURE,
  query,
  type Run,
  report,
  run,
  shop,
  tuples,
} from "./dailyShop.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "huitou-refresh-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("daily append files, one run per day vs all at once", () => {
  let daily: string;
  let once: string;
  const runs: Run[] = [];
  beforeAll(async () => {
    const data = await dataDir(dir, "daily");
    daily = join(dir, "daily.duckdb");
    for (const day of DAYS) {
      await addDay(data, day);
      runs.push(await run(daily, data, day));
    }
    const all = await dataDir(dir, "once");
    for (const day of DAYS) await addDay(all, day);
    once = join(dir, "once.duckdb");
    await run(once, all, DAYS[2]!);
  });

  it("gives the same raw tables, quarantine, load report and register", async () => {
    expect(await dump(daily)).toEqual(await dump(once));
  });

  it("keeps the latest valid version of each order", async () => {
    // o1 refunded on day 2; o2 partially refunded on day 3; o3's exact copy loads once; o4 is
    // unparseable on day 2 and valid on day 3; o5's day-3 version has an unknown status, so
    // day 2's stays; o6 has two versions in one file: neither loads; o8 (day 2) as it came.
    expect(
      await tuples(daily, "select order_id, status, paid_amount, refunded_amount from raw.orders order by 1"),
    ).toEqual([
      ["o1", "refunded", 100, 100],
      ["o2", "partially_refunded", 50, 10],
      ["o3", "paid", 30, null],
      ["o4", "paid", 40, null],
      ["o5", "paid", 20, null],
      ["o8", "paid", 10, null],
    ]);
    // o1's item, re-exported unchanged on day 3, is there once; o99 has no order.
    expect(
      await tuples(
        daily,
        "select order_id, product_id, quantity, unit_price from raw.order_items order by 1",
      ),
    ).toEqual([
      ["o1", "p1", 1, 100],
      ["o2", "p1", 1, 50],
      ["o3", "p2", 2, 15],
      ["o4", "p1", 1, 40],
      ["o5", "p2", 1, 20],
    ]);
  });

  it("quarantines every rejected row with its file and line", async () => {
    const sql = `select file, line, "column", reason, value from raw.quarantine order by file, line`;
    expect(await tuples(daily, sql)).toEqual([
      ["customers.csv", 4, "created_at", "unparseable_timestamp", "not a date"],
      ["order_items/2024-06-02.csv", 3, "order_id", "orphan_order_item", "o99"],
      ["orders/2024-06-01.csv", 5, "order_id", "duplicate_row", "o3"],
      ["orders/2024-06-02.csv", 3, "paid_amount", "unparseable_number", "abc"],
      ["orders/2024-06-03.csv", 2, "order_id", "duplicate_key", "o6"],
      ["orders/2024-06-03.csv", 3, "order_id", "duplicate_key", "o6"],
      ["orders/2024-06-03.csv", 6, "status", "unknown_status", "unknown"],
    ]);
  });

  it("reports the whole table, superseded rows loaded and flagged, not rejected", async () => {
    const rows = await tuples(
      daily,
      `select source, "check", rows_in, rows_loaded, rows_rejected, rows_flagged from raw.load_report
       where source in ('customers', 'orders', 'order_items')
           and ("check" in ('load', 'superseded_by_later_file') or rows_flagged > 0)
       order by source, "check"`,
    );
    // orders: rows in 4 + 4 + 5 = 13; loaded 3 (o1 o2 o3) + 3 (o1 o5 o8) + 2 (o2 o4) = 8;
    // rejected 1 + 1 + 3 = 5 = 13 - 8; superseded: o1 and o2 of day 1 = 2; 8 - 2 = 6 rows.
    // Customer c9 is unknown: o8 (day 2) and o4 (day 3) are counted, so the count of run 2 (1)
    // would be wrong after run 3 (2).
    // order_items: in 3 + 2 + 2 = 7, loaded 3 + 1 + 2 = 6, rejected 1 (o99); superseded 1 (o1's
    // day-1 item, re-exported on day 3): 6 - 1 = 5 rows. customers: 3 in, 2 loaded, 1 rejected.
    expect(rows).toEqual([
      ["customers", "load", 3, 2, 1, 1],
      ["customers", "unparseable_timestamp", 3, 0, 1, 1],
      ["order_items", "load", 7, 6, 1, 1],
      ["order_items", "orphan_order_item", 7, 0, 1, 1],
      ["order_items", "superseded_by_later_file", 7, 1, 0, 1],
      ["orders", "duplicate_key", 13, 0, 2, 2],
      ["orders", "duplicate_row", 13, 0, 1, 1],
      ["orders", "load", 13, 8, 5, 5],
      ["orders", "order_customer_unknown", 13, 2, 0, 2],
      ["orders", "superseded_by_later_file", 13, 2, 0, 2],
      ["orders", "unknown_status", 13, 0, 1, 1],
      ["orders", "unparseable_number", 13, 0, 1, 1],
    ]);
    expect(report(runs[2]!, "orders")).toMatchObject({
      files: ["orders/2024-06-01.csv", "orders/2024-06-02.csv", "orders/2024-06-03.csv"],
      filesRead: ["orders/2024-06-03.csv"],
      rowsIn: 13,
      rowsLoaded: 8,
      rowsRejected: 5,
      rowsSuperseded: 2,
      refresh: "merged",
      rowsWritten: 2,
    });
  });

  it("registers each file with its size, sha256, load time and counts", async () => {
    const rows = await tuples(
      daily,
      "select source, file, loaded_at, rows_in, rows_loaded, rows_rejected from raw.loaded_files order by all",
    );
    // Per file: orders day 1: 4 in, 3 loaded, 1 rejected; day 2: 4, 3, 1; day 3: 5, 2, 3.
    const [day1, day2, day3] = DAYS.map(shop);
    expect(rows).toEqual([
      ["customers", "customers.csv", day1, 3, 2, 1],
      ["order_items", "order_items/2024-06-01.csv", day1, 3, 3, 0],
      ["order_items", "order_items/2024-06-02.csv", day2, 2, 1, 1],
      ["order_items", "order_items/2024-06-03.csv", day3, 2, 2, 0],
      ["orders", "orders/2024-06-01.csv", day1, 4, 3, 1],
      ["orders", "orders/2024-06-02.csv", day2, 4, 3, 1],
      ["orders", "orders/2024-06-03.csv", day3, 5, 2, 3],
    ]);
    const path = join(FIXTURE, "orders/2024-06-02.csv");
    const bytes = await readFile(path);
    expect(
      await query(daily, "select bytes, sha256 from raw.loaded_files where file = 'orders/2024-06-02.csv'"),
    ).toEqual([{ bytes: (await stat(path)).size, sha256: createHash("sha256").update(bytes).digest("hex") }]);
  });

  it("reads only the new files, and stamps the rows each run wrote", async () => {
    expect(runs.map((one) => one.reports.map((r) => `${r.table} ${r.refresh}`))).toEqual([
      ["customers full", "orders full", "order_items full"],
      ["customers kept", "orders merged", "order_items merged"],
      ["customers kept", "orders merged", "order_items merged"],
    ]);
    // Day 2: 4 rows read; o1 (replacing day 1's), o5 and o8 written; o4 rejected.
    expect(runs[1]!.progress).toContain(
      "orders: merged 1 new file (orders/2024-06-02.csv): 4 rows read, 3 written (1 replacing an earlier version), 1 rejected",
    );
    expect(runs[1]!.progress).toContain("customers: files unchanged since they were loaded, table kept");
    const [day1, day2, day3] = DAYS.map(shop);
    expect(await tuples(daily, "select order_id, _loaded_at from raw.orders order by 1")).toEqual([
      ["o1", day2],
      ["o2", day3],
      ["o3", day1],
      ["o4", day3],
      ["o5", day2],
      ["o8", day2],
    ]);
    expect(await query(daily, "select distinct _loaded_at from raw.customers")).toEqual([
      { _loaded_at: shop(DAYS[0]!) },
    ]);
  });
});

describe("replace files", () => {
  it("leaves an unchanged file's table untouched, quarantine and report included", async () => {
    const data = await dataDir(dir, "unchanged");
    await addDay(data, DAYS[0]!);
    const db = join(dir, "unchanged.duckdb");
    await run(db, data, DAYS[0]!);
    // Marks no load could write: if the table were reloaded, c2's tier would be NULL again; if
    // the counted checks over kept tables ran again, zero_value_purchase would be 0 again.
    const marker = await openDuckDB(db);
    await marker.execute("update raw.customers set tier = 'marked' where customer_id = 'c2'");
    await marker.execute(`update raw.load_report set rows_loaded = 7, rows_flagged = 7, detail = 'marked'
        where "check" = 'zero_value_purchase'`);
    await marker.close();
    const second = await run(db, data, DAYS[1]!);
    expect(second.progress).toContain("customers: files unchanged since they were loaded, table kept");
    expect(report(second, "customers")).toMatchObject({
      refresh: "kept",
      rowsIn: 3,
      rowsLoaded: 2,
      rowsWritten: 0,
    });
    expect(await query(db, "select customer_id, tier, _loaded_at from raw.customers order by 1")).toEqual([
      { customer_id: "c1", tier: "gold", _loaded_at: shop(DAYS[0]!) },
      { customer_id: "c2", tier: "marked", _loaded_at: shop(DAYS[0]!) },
    ]);
    expect(
      await query(db, "select source, line, reason from raw.quarantine where source = 'customers'"),
    ).toEqual([{ source: "customers", line: 4, reason: "unparseable_timestamp" }]);
    expect(
      await tuples(
        db,
        `select rows_loaded, detail from raw.load_report where "check" = 'zero_value_purchase'`,
      ),
    ).toEqual([[7, "marked"]]);
  });

  it("reloads a changed file, keeping _loaded_at of rows identical to the previous version", async () => {
    const data = await dataDir(dir, "changed");
    await addDay(data, DAYS[0]!);
    const db = join(dir, "changed.duckdb");
    await run(db, data, DAYS[0]!);
    const header = "customer_id,created_at,tier\n";
    // c1 as before; c2 gets a tier; c3 (rejected before) is gone; c4 is new.
    await writeFile(
      join(data, "customers.csv"),
      `${header}c1,2024-01-01,gold\nc2,2024-01-02,silver\nc4,2024-02-01,\n`,
    );
    const second = await run(db, data, DAYS[1]!);
    expect(second.progress).toContain(
      "customers: reloading in full: customers.csv changed since it was loaded",
    );
    // The same size, other bytes: only the sha256 tells (silver -> bronze, six letters each).
    await writeFile(
      join(data, "customers.csv"),
      `${header}c1,2024-01-01,gold\nc2,2024-01-02,bronze\nc4,2024-02-01,\n`,
    );
    const third = await run(db, data, DAYS[2]!);
    expect(report(third, "customers")).toMatchObject({
      refresh: "full",
      reason: "customers.csv changed since it was loaded",
      rowsIn: 3,
      rowsLoaded: 3,
      // By its changes (reuseSql.ts): only c2's new version is written; c1 and c4 are kept.
      rowsWritten: 1,
    });
    expect(await query(db, "select customer_id, tier, _loaded_at from raw.customers order by 1")).toEqual([
      { customer_id: "c1", tier: "gold", _loaded_at: shop(DAYS[0]!) },
      { customer_id: "c2", tier: "bronze", _loaded_at: shop(DAYS[2]!) },
      { customer_id: "c4", tier: null, _loaded_at: shop(DAYS[1]!) },
    ]);
    expect(await query(db, "select count(*) as n from raw.quarantine where source = 'customers'")).toEqual([
      { n: 0 },
    ]);
  });
});

describe("full reloads of append tables", () => {
  it("reloads in full when a loaded file changed, saying why, and orders' items with it", async () => {
    const data = await dataDir(dir, "edited");
    const db = join(dir, "edited.duckdb");
    for (const day of DAYS.slice(0, 2)) {
      await addDay(data, day);
      await run(db, data, day);
    }
    // o3 paid 30 -> 31 in day 1's file (same size), and day 3 arrives.
    const first = join(data, "orders/2024-06-01.csv");
    await writeFile(first, (await readFile(first, "utf8")).replaceAll("paid,30,", "paid,31,"));
    await addDay(data, DAYS[2]!);
    const third = await run(db, data, DAYS[2]!);
    expect(third.progress).toContain(
      "orders: reloading in full: orders/2024-06-01.csv changed since it was loaded",
    );
    expect(third.progress).toContain(
      "order_items: reloading in full: raw.orders was reloaded, so every item's order is checked again",
    );
    expect(report(third, "orders")).toMatchObject({
      refresh: "full",
      rowsIn: 13,
      rowsLoaded: 8,
      rowsSuperseded: 2,
    });
    // Before: o1 (day 2's, run 2), o2 (day 1's, run 1), o3 paid 30 (run 1), o5 and o8 (run 2).
    // Now o1, o5 and o8 are identical and keep their time; o2 (day 3's), o3 (31) and o4 are new.
    const [, day2, day3] = DAYS.map(shop);
    expect(await tuples(db, "select order_id, paid_amount, _loaded_at from raw.orders order by 1")).toEqual([
      ["o1", 100, day2],
      ["o2", 50, day3],
      ["o3", 31, day3],
      ["o4", 40, day3],
      ["o5", 20, day2],
      ["o8", 10, day2],
    ]);
  });

  it("reloads in full when a loaded file is gone", async () => {
    const data = await dataDir(dir, "vanished");
    const db = join(dir, "vanished.duckdb");
    for (const day of DAYS.slice(0, 2)) {
      await addDay(data, day);
      await run(db, data, day);
    }
    await rm(join(data, "orders/2024-06-02.csv"));
    const third = await run(db, data, DAYS[2]!);
    expect(report(third, "orders")).toMatchObject({
      refresh: "full",
      reason: "orders/2024-06-02.csv was loaded before and is gone",
      // Day 1 alone: 4 rows in, 3 loaded (o1 o2 o3), the copy of o3 rejected.
      rowsIn: 4,
      rowsLoaded: 3,
      rowsRejected: 1,
    });
    expect(await query(db, "select order_id, status from raw.orders order by 1")).toEqual([
      { order_id: "o1", status: "paid" },
      { order_id: "o2", status: "paid" },
      { order_id: "o3", status: "paid" },
    ]);
  });

  it("reloads everything on fullRefresh, every row stamped anew", async () => {
    const data = await dataDir(dir, "full-refresh");
    await addDay(data, DAYS[0]!);
    const db = join(dir, "full-refresh.duckdb");
    await run(db, data, DAYS[0]!);
    const second = await run(db, data, DAYS[1]!, true);
    expect(second.reports.map((one) => [one.table, one.refresh, one.reason])).toEqual([
      ["customers", "full", "--full-refresh"],
      ["orders", "full", "--full-refresh"],
      ["order_items", "full", "--full-refresh"],
    ]);
    expect(await query(db, "select distinct _loaded_at from raw.orders")).toEqual([
      { _loaded_at: shop(DAYS[1]!) },
    ]);
    expect(await query(db, "select count(*) as n from raw.orders")).toEqual([{ n: 3 }]);
  });

  it("reloads when a row rejected as future-dated is due", async () => {
    const data = await dataDir(dir, "future");
    await addDay(data, DAYS[0]!);
    // Ordered on day 2 at 09:00: in the future at day 1's run (20:00), past at day 2's.
    await writeFile(
      join(data, "orders/2024-06-01.csv"),
      `${await readFile(join(data, "orders/2024-06-01.csv"), "utf8")}o7,c1,2024-06-02 09:00:00,paid,5,\n`,
    );
    const db = join(dir, "future.duckdb");
    const first = await run(db, data, DAYS[0]!);
    expect(report(first, "orders")).toMatchObject({ rowsIn: 5, rowsLoaded: 3, rowsRejected: 2 });
    const second = await run(db, data, DAYS[1]!);
    expect(report(second, "orders")).toMatchObject({
      refresh: "full",
      reason: "1 row rejected as future-dated is no longer in the future",
      rowsIn: 5,
      rowsLoaded: 4,
      rowsRejected: 1,
    });
  });
});
