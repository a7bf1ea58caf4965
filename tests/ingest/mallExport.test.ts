/**
 * One shop written three ways (tests/fixtures/ingest-mall/make.ts): canonical CSVs read with
 * the product's sources/shop.yml, and a Chinese-header mall export, as Excel and as a GBK CSV,
 * read with sources/examples/mall_export.yml. All three must load to the same raw tables, row
 * for row; the canonical load is the independent reference. The mall's receiver columns
 * (收货人, 收货人手机, 收货地址) must not reach the warehouse.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import type { SourceTable } from "../../src/ingest/api.ts";
import { loadSources } from "../../src/ingest/loadSources.ts";
import { parseSourcesYaml, readSources } from "../../src/ingest/readSources.ts";

const ROOT = join(import.meta.dirname, "../..");
const FIXTURES = join(ROOT, "tests/fixtures/ingest-mall");
const EXAMPLE = "sources/examples/mall_export.yml";

async function load(tables: SourceTable[], dataDir: string) {
  const db = await openDuckDB(":memory:");
  try {
    await loadSources(db, tables, {
      projectDir: ROOT,
      dataDir,
      timezone: "Asia/Shanghai",
      now: new Date("2024-06-01T00:00:00Z"),
      piiSalt: "mall-test",
    });
    const dump: Record<string, unknown> = {};
    for (const table of ["customers", "orders", "quarantine"]) {
      dump[table] = (await db.query(`select * from raw.${table} order by all`)).rows;
    }
    dump.rejected = (await db.query(`select sum(rows_rejected) as n from raw.load_report`)).rows[0]?.n;
    return dump;
  } finally {
    await db.close();
  }
}

describe("mall export", () => {
  it("Excel and GBK exports load to the same raw tables as the canonical CSVs", async () => {
    const canonical = await load(await readSources(ROOT), join(FIXTURES, "canonical"));
    const example = parseSourcesYaml(readFileSync(join(ROOT, EXAMPLE), "utf8"), EXAMPLE);
    const excel = await load(example, join(FIXTURES, "xlsx"));
    const gbk = await load(example, join(FIXTURES, "gbk"));
    expect(excel).toEqual(canonical);
    expect(gbk).toEqual(canonical);
  });

  it("the canonical load holds what the fixture says, typed", async () => {
    const canonical = await load(await readSources(ROOT), join(FIXTURES, "canonical"));
    // 4 customers and 7 orders in make.ts, none rejected.
    expect((canonical.customers as unknown[]).length).toBe(4);
    expect(canonical.rejected).toBe(0);
    const orders = canonical.orders as Record<string, unknown>[];
    expect(orders.map((row) => row.order_id)).toEqual([
      "240101000000000001",
      "240101000000000002",
      "240115000000000003",
      "240201000000000004",
      "240210000000000005",
      "240214000000000006",
      "240301000000000007",
    ]);
    // The split checkout: two child orders of P240101000000000001; 1,299 + 58 paid.
    expect(orders[0]).toMatchObject({
      parent_order_id: "P240101000000000001",
      paid_amount: 1299,
      status: "paid",
    });
    expect(orders[3]).toMatchObject({
      status: "partially_refunded",
      refunded_amount: 100,
      refunded_at: "2024-02-05 16:30:00",
    });
    expect(orders[6]).toMatchObject({ customer_id: "000999", gross_amount: 1000.5, discount_amount: 0.5 });
    expect(Object.keys(orders[0]!)).not.toContain("收货人");
  });
});
