/**
 * int_satisfaction_cells, the sums over buyers kept by deltas that satisfaction_by_category
 * derives its rates from (macros/satisfaction_cells.sql, macros/before_images.sql), on
 * shop-small at as_of 2025-03-15: a full build against the hand counts of
 * satisfaction.test.ts, then refreshes moved by deltas, each against those counts moved by
 * hand and against a full build of the same files (an independent method: no incremental
 * state at all):
 * - a new review of an old purchase: only int_purchase_reviews rebuilds its buyer, so the
 *   buyer's old item lines are int_purchase_items' current ones (it kept no image of them);
 * - a new purchase of an old buyer with two categories and a review: both tables rebuild them.
 */
import { cp, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Row } from "../../src/engine/adapters/adapter.ts";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import type { RunOutcome } from "../../src/engine/session.ts";
import { buildProject, DAILY_TABLES, dailyDropProject, temporary } from "../setup/dailyDropProject.ts";
import { buildShopSmall, byKey, SHOP_SMALL_AS_OF } from "./shopSmall.ts";

const repo = join(import.meta.dirname, "../..");
const fixture = join(repo, "tests/fixtures/shop-small/data");
const WHOLE = ["customers", "products", "campaigns", "marketing_spend"];

/**
 * [purchases, reviewed_purchases, rating_sum, low_rated_purchases] by category at as_of
 * 2025-03-15: the purchases and ratings listed in satisfaction.test.ts (美妆 ratings
 * 5 4 5 2 1 2, 女装 5 4 3, 母婴 1, 食品 1 3, 3C 5 4).
 */
const FIXTURE: Record<string, [number, number, number, number]> = {
  美妆: [33, 6, 19, 3],
  女装: [19, 3, 12, 0],
  母婴: [4, 1, 1, 1],
  食品: [3, 2, 4, 1],
  "3C": [2, 2, 9, 0],
};

/** A copy of the product's project whose daily sources read the daily-drop folders. */
const project = () => dailyDropProject("huitou-satisfaction-");

/** The fixture as a first delivery: every daily table in file 1. */
async function firstDelivery(data: string): Promise<void> {
  for (const table of DAILY_TABLES) {
    await mkdir(join(data, table), { recursive: true });
    await cp(join(fixture, `${table}.csv`), join(data, table, "1.csv"));
  }
  for (const table of WHOLE) await cp(join(fixture, `${table}.csv`), join(data, `${table}.csv`));
}

const build = (projectDir: string, dataDir: string) =>
  buildProject(projectDir, dataDir, { asOf: SHOP_SMALL_AS_OF });

async function rows(projectDir: string, sql: string): Promise<Row[]> {
  const db = await openDuckDB(join(projectDir, "target/warehouse.duckdb"), { readOnly: true });
  try {
    return (await db.query(sql)).rows;
  } finally {
    await db.close();
  }
}

/** The cells as [purchases, reviewed, rating sum, low rated] by category, and how they were built. */
async function cells(projectDir: string) {
  const found = await rows(projectDir, "select * from int_satisfaction_cells order by category");
  return {
    cells: Object.fromEntries(
      found.map((row) => [
        String(row.category),
        [row.purchases, row.reviewed_purchases, row.rating_sum, row.low_rated_purchases].map(Number),
      ]),
    ),
    builtBy: [...new Set(found.map((row) => String(row._built_by)))].join(","),
  };
}

/** Rows of the cells and the mart that differ between the two warehouses (bookkeeping aside). */
async function differences(refreshed: string, full: string): Promise<string[]> {
  const db = await openDuckDB(join(refreshed, "target/warehouse.duckdb"), { readOnly: true });
  try {
    await db.execute(`attach '${join(full, "target/warehouse.duckdb")}' as rebuilt (read_only)`);
    const out: string[] = [];
    for (const [table, list] of [
      ["int_satisfaction_cells", "category, purchases, reviewed_purchases, rating_sum, low_rated_purchases"],
      // doubles compared bit for bit: both ways divide the same integers
      ["satisfaction_by_category", "*"],
    ] as const) {
      const { rows: found } = await db.query(`select
          (select count(*) from (select ${list} from warehouse.main.${table} except all select ${list} from rebuilt.main.${table})) as only_refreshed,
          (select count(*) from (select ${list} from rebuilt.main.${table} except all select ${list} from warehouse.main.${table})) as only_full`);
      const row = found[0] ?? {};
      if (Number(row.only_refreshed) + Number(row.only_full) > 0) {
        out.push(
          `${table}: ${row.only_refreshed} rows only refreshed, ${row.only_full} only in the full build`,
        );
      }
    }
    return out;
  } finally {
    await db.close();
  }
}

const message = (outcome: RunOutcome, name: string) =>
  outcome.results.find((result) => result.name === name)?.message ?? "";

describe("int_satisfaction_cells", () => {
  it("sums every buyer on a full build, and passes its data tests", async () => {
    const warehouse = await buildShopSmall(
      SHOP_SMALL_AS_OF,
      {},
      { dataTests: "int_satisfaction_cells path:models/marts/satisfaction" },
    );
    try {
      expect(warehouse.dataTestFailures).toEqual([]);
      const found = byKey(await warehouse.rows("select * from int_satisfaction_cells"), "category");
      expect(
        Object.fromEntries(
          Object.entries(found).map(([category, row]) => [
            category,
            [row.purchases, row.reviewed_purchases, row.rating_sum, row.low_rated_purchases].map(Number),
          ]),
        ),
      ).toEqual(FIXTURE);
      expect(new Set(Object.values(found).map((row) => row._built_by))).toEqual(new Set(["full"]));
    } finally {
      await warehouse.close();
    }
  });

  it("moves by the rebuilt buyers' shares on a refresh, as a full build would sum them", async () => {
    const refreshedProject = await project();
    const data = await temporary("huitou-satisfaction-data-");
    await firstDelivery(data);
    await build(refreshedProject, data);
    expect(await cells(refreshedProject)).toEqual({ cells: FIXTURE, builtBy: "full" });

    // A review of c05's o015 (美妆 only, paid 2024-03-05, not reviewed so far), rated 1: 美妆
    // gains a reviewed purchase, 1 point and a low rating; its purchases stay 33. Only
    // int_purchase_reviews rebuilds c05 (items, none: no order was loaded).
    await writeFile(join(data, "reviews/2.csv"), "order_id,rating,created_at\no015,1,2025-03-01 12:00:00\n");
    const reviewed = await build(refreshedProject, data);
    expect(message(reviewed, "int_purchase_reviews")).toMatch(/^rows appended/);
    expect(message(reviewed, "int_purchase_items")).toMatch(/^rows appended: 0 rows/);
    const afterReview = { ...FIXTURE, 美妆: [33, 7, 20, 4] };
    expect(await cells(refreshedProject)).toEqual({ cells: afterReview, builtBy: "delta" });
    let fullProject = await project();
    await build(fullProject, data);
    expect(await differences(refreshedProject, fullProject)).toEqual([]);
    const mart = byKey(await rows(refreshedProject, "select * from satisfaction_by_category"), "category");
    expect(mart.美妆).toMatchObject({ purchases: 33, reviewed_purchases: 7, avg_rating: 20 / 7 });
    expect(mart.美妆!.low_rating_share).toBeCloseTo(4 / 7, 12);

    // A new purchase of c05 on 03-14 holding 女装 (p03) and 3C (p07), reviewed 2 on 03-15:
    // each category gains a purchase, a reviewed one, 2 points and a low rating.
    await writeFile(
      join(data, "orders/2.csv"),
      "order_id,parent_order_id,customer_id,ordered_at,status,channel,gross_amount,discount_amount,paid_amount,refunded_amount,refunded_at,coupon_code,campaign_id\n" +
        "o900,,c05,2025-03-14 10:00:00,paid,tmall,500,0,500,0,,,\n",
    );
    await writeFile(
      join(data, "order_items/2.csv"),
      "order_id,product_id,quantity,unit_price,unit_cost\no900,p03,1,100,\no900,p07,1,400,\n",
    );
    await writeFile(join(data, "reviews/3.csv"), "order_id,rating,created_at\no900,2,2025-03-15 08:00:00\n");
    const bought = await build(refreshedProject, data);
    expect(message(bought, "int_purchase_items")).toMatch(/^rows appended/);
    expect(await cells(refreshedProject)).toEqual({
      cells: { ...afterReview, 女装: [20, 4, 14, 1], "3C": [3, 3, 11, 1] },
      builtBy: "delta",
    });
    fullProject = await project();
    await build(fullProject, data);
    expect(await differences(refreshedProject, fullProject)).toEqual([]);
  }, 600_000);
});
