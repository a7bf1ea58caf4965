/**
 * churn_monthly on shop-small: the default churn_days 180 at as_of 2025-03-15, and
 * --var churn_days=60 at as_of 2025-03-31 (March complete). Expectations worked out by hand
 * from the purchase days of tests/fixtures/shop-small/README.md; the flow identity is checked
 * month by month on both.
 *
 * A buyer is active on day d when their latest purchase strictly before d is at most churn_days
 * earlier, i.e. they bought in [d - churn_days, d - 1].
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Row } from "../../src/engine/adapters/adapter.ts";
import { buildShopSmall, type Warehouse } from "./shopSmall.ts";

/** What this file builds: its marts and their ancestors, not the rest of the project. */
const SELECT = "+path:models/marts/churn";
/** The data tests of this subject's models (schema YAML and singular SQL), run on the build. */
const DATA_TESTS =
  "path:models/marts/churn path:models/intermediate/churn path:tests/marts/churn_monthly_flow_identity.sql";

let warehouse: Warehouse;
let sixty: Warehouse;
beforeAll(async () => {
  warehouse = await buildShopSmall(undefined, {}, { select: SELECT, dataTests: DATA_TESTS });
  sixty = await buildShopSmall("2025-03-31", { churn_days: "60" }, { select: SELECT, dataTests: DATA_TESTS });
});
afterAll(async () => {
  await warehouse?.close();
  await sixty?.close();
});

it("passes the data tests of its models, with the default and the overridden churn_days", () => {
  expect(warehouse.dataTestFailures).toEqual([]);
  expect(sixty.dataTestFailures).toEqual([]);
});

type Flow = [month: string, active: number, churned: number, fresh: number, reactivated: number];

function expectFlows(rows: Row[], expected: Flow[]) {
  expect(
    rows.map((row) => [row.month, row.active_at_start, row.churned, row.new_buyers, row.reactivated]),
  ).toEqual(expected);
  rows.forEach((row, i) => {
    const [, active, churned] = expected[i]!;
    expect(row.churn_rate).toBeCloseTo(churned / active, 12);
  });
}

function expectIdentity(rows: Row[]) {
  // active_at_start(m + 1) = active_at_start(m) - churned(m) + new_buyers(m) + reactivated(m)
  for (let i = 0; i + 1 < rows.length; i++) {
    const row = rows[i]!;
    const next = rows[i + 1]!;
    expect(next.active_at_start).toBe(
      Number(row.active_at_start) - Number(row.churned) + Number(row.new_buyers) + Number(row.reactivated),
    );
  }
  for (const row of rows) {
    expect(row.active_at_end).toBe(
      Number(row.active_at_start) - Number(row.churned) + Number(row.new_buyers) + Number(row.reactivated),
    );
  }
}

describe("churn_monthly with churn_days 180", () => {
  it("starts at the first complete month 180 days after the earliest purchase and ends with February 2025", async () => {
    // 2024-01-05 + 180 = 2024-07-03: the first month starting on or after it is August 2024.
    // March 2025 is partial (as_of the 15th): the last row is February.
    const rows = await warehouse.rows("select month from churn_monthly order by month");
    expect(rows.map((row) => row.month)).toEqual([
      "2024-08-01",
      "2024-09-01",
      "2024-10-01",
      "2024-11-01",
      "2024-12-01",
      "2025-01-01",
      "2025-02-01",
    ]);
  });

  it("counts the flows month by month", async () => {
    // Aug (active = bought 02-03..07-31): c01 c03 c04 c05 c06 c07 c08 c09 c10 c11 c12 c13 c14 c15
    //   c16 c17 x99 = 17. Churned = no August purchase and latest <= 08-31 - 180 = 03-04:
    //   c03 (02-25) c06 (02-14) c09 (03-02) = 3 (c05, c10: 03-05). New c18.
    // Sep (03-05..08-31): 15. Churned, latest <= 04-03: c05 c10 (03-05: active on 09-01 exactly 180
    //   days on) c11 = 3. New c19; reactivated c09 (last 03-02, 183 days before 09-01).
    // Oct (04-04..09-30): 14. Churned, latest <= 05-04: c13. Reactivated c10 (o021 of April was
    //   refunded, so its latest purchase is 03-05).
    // Nov (05-05..10-31): 14. Churned 0. New c24 c25.
    // Dec (06-04..11-30): 16. Churned, latest <= 07-04: c15 (06-25) c16 (06-18) = 2.
    // Jan (07-05..12-31): 14. Churned 0 (latest <= 08-04: nobody). New c26; reactivated c02.
    // Feb (08-05..01-31): 16. Churned 0 (latest <= 09-01: nobody; c19 09-03). New c29.
    expectFlows(await warehouse.rows("select * from churn_monthly order by month"), [
      ["2024-08-01", 17, 3, 1, 0],
      ["2024-09-01", 15, 3, 1, 1],
      ["2024-10-01", 14, 1, 0, 1],
      ["2024-11-01", 14, 0, 2, 0],
      ["2024-12-01", 16, 2, 0, 0],
      ["2025-01-01", 14, 0, 1, 1],
      ["2025-02-01", 16, 0, 1, 0],
    ]);
  });

  it("weights churn by the revenue of the 365 days before each month", async () => {
    // Aug: churned c03 330 + c06 100 + c09 150 = 580 / the 17 active buyers' 4330.
    // Sep: c05 500 + c10 100 + c11 60 = 660 / 4130. Oct: c13 150 / 4100. Nov: 0 / 4550.
    // Dec: c15 130 + c16 280 = 410 / 5430. Jan: 0 / 5320. Feb: 0 / 5530.
    const rows = await warehouse.rows("select * from churn_monthly order by month");
    const expected: [number, number][] = [
      [580, 4330],
      [660, 4130],
      [150, 4100],
      [0, 4550],
      [410, 5430],
      [0, 5320],
      [0, 5530],
    ];
    rows.forEach((row, i) => {
      const [churned, active] = expected[i]!;
      expect([row.churned_revenue_365d, row.active_revenue_365d]).toEqual([churned, active]);
      expect(row.revenue_weighted_churn_rate).toBeCloseTo(churned / active, 12);
    });
  });

  it("balances the flows month by month", async () => {
    // Feb ends with 16 - 0 + 1 + 0 = 17 active on 2025-03-01.
    const rows = await warehouse.rows("select * from churn_monthly order by month");
    expectIdentity(rows);
    expect(rows.at(-1)?.active_at_end).toBe(17);
  });
});

describe("churn_monthly with --var churn_days=60 at as_of 2025-03-31", () => {
  it("counts the flows month by month", async () => {
    // 2024-01-05 + 60 = 03-05: rows start in April 2024 and end with March 2025, now complete.
    // At 2025-03-31 c27's o064 (refunded 03-20) is no purchase: c27 is no buyer.
    // Active on the 1st = bought in the 60 days before; churned = no purchase in the month and
    // latest <= last day - 60.
    // Apr (02-01..03-31): c01 c03 c05 c06 c07 c08 c09 c10 c11 c12 = 10; latest <= 03-01: c03 c06
    //   c07 c08 = 4; new c13.
    // May (03-02..04-30): c01 c05 c09 c10 c11 c12 c13 = 7; latest <= 04-01 without May purchase:
    //   c01 c05 c09 c10 c11 = 5 (c12 bought 05-20); new c14; reactivated c04.
    // Jun (04-02..05-31): c04 c12 c13 c14 = 4; latest <= 05-01: c13; new x99 c15 c16;
    //   reactivated c01 c07 c08.
    // Jul (05-02..06-30): 9; latest <= 06-01: c04 (05-03) c12 (05-20) = 2; new c17.
    // Aug (06-02..07-31): 8; latest <= 07-02 without August purchase: c01 c07 c14 c15 c16 x99 = 6;
    //   new c18; reactivated c04.
    // Sep (07-03..08-31): c04 c08 c17 c18 = 4; latest <= 08-01: c08; new c19; reactivated c01 c09 c12.
    // Oct (08-02..09-30): 7; latest <= 09-01: c04 (08-30) c18 (08-20) = 2; reactivated c10.
    // Nov (09-02..10-31): c01 c09 c10 c12 c17 c19 = 6; latest <= 10-01 without November purchase:
    //   c09 c12 c19 = 3; new c24 c25; reactivated c07 c14 x99.
    // Dec (10-02..11-30): 8; latest <= 11-01: c10 c17 = 2; reactivated c08.
    // Jan (11-02..12-31): c01 c07 c08 c14 c24 c25 x99 = 7; latest <= 12-02 without January
    //   purchase: c07 c14 c25 x99 = 4; new c26; reactivated c02 c04.
    // Feb (12-03..01-31): c01 c02 c04 c08 c24 c26 = 6; churned 0 (latest <= 12-30 and no February
    //   purchase: nobody); new c29; reactivated c18.
    // Mar (12-31..02-28): c01 c02 c04 c08 c18 c24 c26 c29 = 8; latest <= 01-30 without March
    //   purchase: c02 c04 c24 = 3; new c28; reactivated c07.
    const rows = await sixty.rows("select * from churn_monthly order by month");
    expectFlows(rows, [
      ["2024-04-01", 10, 4, 1, 0],
      ["2024-05-01", 7, 5, 1, 1],
      ["2024-06-01", 4, 1, 3, 3],
      ["2024-07-01", 9, 2, 1, 0],
      ["2024-08-01", 8, 6, 1, 1],
      ["2024-09-01", 4, 1, 1, 3],
      ["2024-10-01", 7, 2, 0, 1],
      ["2024-11-01", 6, 3, 2, 3],
      ["2024-12-01", 8, 2, 0, 1],
      ["2025-01-01", 7, 4, 1, 2],
      ["2025-02-01", 6, 0, 1, 1],
      ["2025-03-01", 8, 3, 1, 1],
    ]);
    expect(rows.every((row) => row.churn_days === 60)).toBe(true);
  });

  it("balances the flows month by month", async () => {
    // March ends with 8 - 3 + 1 + 1 = 7 active on 2025-04-01: c01 c07 c08 c18 c26 c28 c29.
    const rows = await sixty.rows("select * from churn_monthly order by month");
    expectIdentity(rows);
    expect(rows.at(-1)?.active_at_end).toBe(7);
  });
});
