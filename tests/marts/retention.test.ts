/**
 * retention_cohorts and retention_curve on shop-small at as_of 2025-03-15. Expectations worked
 * out by hand from the purchase table of tests/fixtures/shop-small/README.md.
 *
 * Cohorts (first purchase month: buyers): 2024-01 c01 c02 c03 c04; 2024-02 c05 c06 c07 c08;
 * 2024-03 c09 c10 c11 c12; 2024-04 c13; 2024-05 c14; 2024-06 x99 c15 c16; 2024-07 c17;
 * 2024-08 c18; 2024-09 c19; 2024-11 c24 c25; 2025-01 c26; 2025-02 c29; 2025-03 c27 c28.
 * No cohort for 2024-10 or 2024-12. 26 buyers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildShopSmall, type Warehouse } from "./shopSmall.ts";

/** What this file builds: its marts and their ancestors, not the rest of the project. */
const SELECT = "+path:models/marts/retention";
/** The data tests of this subject's models (schema YAML and singular SQL), run on the build. */
const DATA_TESTS = "path:models/marts/retention path:tests/marts/retention_cohort_sizes.sql";

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await buildShopSmall(undefined, {}, { select: SELECT, dataTests: DATA_TESTS });
});
afterAll(async () => {
  await warehouse?.close();
});

it("passes the data tests of its models", () => {
  expect(warehouse.dataTestFailures).toEqual([]);
});

type CohortRow = [k: number, active: number, orders: number, revenue: number, margin: number];

async function cohort(month: string) {
  return warehouse.rows(
    `select * from retention_cohorts where cohort_month = '${month}' order by months_since_first`,
  );
}

describe("retention_cohorts", () => {
  it("has a row for every month from each cohort's first to March 2025", async () => {
    // Months to 2025-03 inclusive: Jan 15, Feb 14, Mar 13, Apr 12, May 11, Jun 10, Jul 9,
    // Aug 8, Sep 7, Nov 5, 2025-01 3, 2025-02 2, 2025-03 1 = 110 rows; sizes sum to 26.
    const rows = await warehouse.rows(
      "select count(*) as n, count(distinct cohort_month) as cohorts from retention_cohorts",
    );
    expect(rows[0]).toEqual({ n: 110, cohorts: 13 });
    const sizes = await warehouse.rows(
      "select cohort_month, max(cohort_size) as size from retention_cohorts group by 1 order by 1",
    );
    expect(sizes.map((row) => row.size)).toEqual([4, 4, 4, 1, 1, 3, 1, 1, 1, 2, 1, 1, 2]);
  });

  it("follows the January 2024 cohort month by month", async () => {
    // k: who bought (purchase net/margin).
    const expected: CohortRow[] = [
      [0, 4, 5, 800, 450], // all four: o001 o002 o003 o004 P01
      [1, 1, 1, 80, 50], // Feb: c03 o012
      [2, 1, 1, 100, 60], // Mar: c01 o017
      [3, 0, 0, 0, 0], // Apr: nobody
      [4, 1, 1, 200, 50], // May: c04 o023
      [5, 1, 1, 200, 110], // Jun: c01 o028
      [6, 0, 0, 0, 0],
      [7, 1, 1, 80, 50], // Aug: c04 o039
      [8, 1, 1, 100, 60], // Sep: c01 o043
      [9, 0, 0, 0, 0],
      [10, 1, 1, 200, 110], // Nov: c01 o046
      [11, 1, 1, 100, 60], // Dec: c01 o053
      [12, 2, 2, 200, 120], // 2025-01: c04 o055 100/60, c02 o057 100/60
      [13, 1, 1, 200, 110], // 2025-02: c01 o061
      [14, 1, 1, 100, 60], // 2025-03 (partial): c01 o069
    ];
    const rows = await cohort("2024-01-01");
    expect(
      rows.map((row) => [row.months_since_first, row.active_customers, row.orders, row.revenue, row.margin]),
    ).toEqual(expected);
    // Cumulative revenue: 800 880 980 980 1180 1380 1380 1460 1560 1560 1760 1860 2060 2260 2360, / 4.
    expect(rows.map((row) => row.cumulative_revenue_per_customer)).toEqual([
      200, 220, 245, 245, 295, 345, 345, 365, 390, 390, 440, 465, 515, 565, 590,
    ]);
    // Cumulative margin at k = 14: 450+50+60+50+110+50+60+110+60+120+110+60 = 1290, / 4 = 322.5.
    expect(rows[14]?.cumulative_margin_per_customer).toBe(322.5);
    // retention_rate = active / 4; revenue_retention = revenue / 800.
    expect(rows.map((row) => row.retention_rate)).toEqual(expected.map(([, active]) => active / 4));
    expect(rows.map((row) => row.revenue_retention)).toEqual(
      expected.map(([, , , revenue]) => revenue / 800),
    );
    expect(rows.map((row) => row.is_partial)).toEqual(expected.map(([k]) => k === 14));
  });

  it("follows the February and March 2024 cohorts", async () => {
    // Feb: k0 o007 200/70, o008 80/50, o009 200/50, o010 100/65, o011 100/40 (c05 twice);
    // k1 c05 o015; k4 (Jun) c07 o029 100/60 + c08 o030 300/180; k5 c08 o036; k9 (Nov) c07 o047;
    // k10 c08 o054 200/50; k12 c08 o060; k13 (2025-03) c07 o065 400/150.
    const february = await cohort("2024-02-01");
    expect(
      february.map((row) => [
        row.months_since_first,
        row.active_customers,
        row.orders,
        row.revenue,
        row.margin,
      ]),
    ).toEqual([
      [0, 4, 5, 680, 275],
      [1, 1, 1, 200, 110],
      [2, 0, 0, 0, 0],
      [3, 0, 0, 0, 0],
      [4, 2, 2, 400, 240],
      [5, 1, 1, 100, 60],
      [6, 0, 0, 0, 0],
      [7, 0, 0, 0, 0],
      [8, 0, 0, 0, 0],
      [9, 1, 1, 100, 60],
      [10, 1, 1, 200, 50],
      [11, 0, 0, 0, 0],
      [12, 1, 1, 100, 60],
      [13, 1, 1, 400, 150],
    ]);
    // 200 / 680 and 400 / 680.
    expect(february[1]?.revenue_retention).toBeCloseTo(200 / 680, 12);
    expect(february[4]?.revenue_retention).toBeCloseTo(400 / 680, 12);
    // Mar: k0 o014 150/90, o016 100/60, o018 60/24, o019 100/60; k2 (May) c12 o025 80/50;
    // k6 (Sep) c12 o041 200/50 + c09 o042 80/50; k7 (Oct) c10 o045 200/110 (o021 in April was
    // refunded: k1 is empty).
    const march = await cohort("2024-03-01");
    expect(march.map((row) => [row.months_since_first, row.active_customers, row.revenue])).toEqual([
      [0, 4, 410],
      [1, 0, 0],
      [2, 1, 80],
      [3, 0, 0],
      [4, 0, 0],
      [5, 0, 0],
      [6, 2, 280],
      [7, 1, 200],
      [8, 0, 0],
      [9, 0, 0],
      [10, 0, 0],
      [11, 0, 0],
      [12, 0, 0],
    ]);
    // (410 + 80 + 280 + 200) / 4 = 242.5 from k = 7 on; margin (234 + 50 + 100 + 110) / 4 = 123.5.
    expect(march[12]).toMatchObject({
      cumulative_revenue_per_customer: 242.5,
      cumulative_margin_per_customer: 123.5,
    });
  });

  it("handles small cohorts, split orders and the partial month", async () => {
    // June 2024: x99 o026 120, c15 o027 80 + o034 50, c16 P02 280 (one purchase) = 4 orders, 530;
    // k5 (Nov): x99 o051 100/40.
    const june = await cohort("2024-06-01");
    expect(june[0]).toMatchObject({
      cohort_size: 3,
      active_customers: 3,
      orders: 4,
      revenue: 530,
      margin: 248,
    });
    expect(june[5]).toMatchObject({ active_customers: 1, revenue: 100, retention_rate: 1 / 3 });
    // March 2025: c27 o064 100/60 (refund after as_of), c28 o066 200/110 + o067 80/50: partial.
    const march2025 = await cohort("2025-03-01");
    expect(march2025).toEqual([
      expect.objectContaining({ cohort_size: 2, orders: 3, revenue: 380, margin: 220, is_partial: true }),
    ]);
  });
});

describe("retention_curve", () => {
  it("weights complete cohort months by size", async () => {
    // Complete months end with 2025-02. Highest complete k per cohort: 2024-01 13, 02 12, 03 11,
    // 04 10, 05 9, 06 8, 07 7, 08 6, 09 5, 11 3, 2025-01 1, 2025-02 0 (2025-03 none).
    // Per k: active at k over the included cohorts / their sizes; cumulative revenue through k
    // summed / their sizes.
    //  k=0  12 cohorts, 24 buyers: 24 active; revenue 800+680+410+150+300+530+80+200+100+400+80+100 = 3830
    //  k=1  11 cohorts, 23: c03 c05 c14 c17 = 4; 880+880+410+150+400+530+180+200+100+400+80 = 4210
    //  k=2  10, 22: c01 c12 c24 = 3; 980+880+490+150+400+530+180+200+100+800 = 4710
    //  k=3  10, 22: c17 = 1; 4710 - 180 + 480 = 5010
    //  k=4  9, 20: c04 c07 c08 = 3; 1180+1280+490+150+400+530+480+200+100 = 4810
    //  k=5  9, 20: c01 c08 x99 = 3; 1380+1380+490+150+400+630+480+200+100 = 5210
    //  k=6  8, 19: c09 c12 c14 c18 = 4; 1380+1380+770+150+480+630+480+280 = 5550
    //  k=7  7, 18: c04 c10 = 2; 1460+1380+970+150+480+630+480 = 5550
    //  k=8  6, 17: c01 = 1; 1560+1380+970+150+480+630 = 5170
    //  k=9  5, 14: c07 = 1; 1560+1480+970+150+480 = 4640
    //  k=10 4, 13: c01 c08 = 2; 1760+1680+970+150 = 4560
    //  k=11 3, 12: c01 = 1; 1860+1680+970 = 4510
    //  k=12 2, 8: c02 c04 c08 = 3; 2060+1780 = 3840
    //  k=13 1, 4: c01 = 1; 2260
    const expected: [number, number, number, number][] = [
      [12, 24, 24, 3830],
      [11, 23, 4, 4210],
      [10, 22, 3, 4710],
      [10, 22, 1, 5010],
      [9, 20, 3, 4810],
      [9, 20, 3, 5210],
      [8, 19, 4, 5550],
      [7, 18, 2, 5550],
      [6, 17, 1, 5170],
      [5, 14, 1, 4640],
      [4, 13, 2, 4560],
      [3, 12, 1, 4510],
      [2, 8, 3, 3840],
      [1, 4, 1, 2260],
    ];
    const rows = await warehouse.rows("select * from retention_curve order by months_since_first");
    expect(rows.map((row) => row.months_since_first)).toEqual(expected.map((_, k) => k));
    rows.forEach((row, k) => {
      const [cohorts, buyers, active, revenue] = expected[k]!;
      expect(row.cohorts_included).toBe(cohorts);
      expect(row.buyers_included).toBe(buyers);
      expect(row.retention_rate).toBeCloseTo(active / buyers, 12);
      expect(row.cumulative_revenue_per_customer).toBeCloseTo(revenue / buyers, 9);
    });
  });
});
