/**
 * customers_summary on shop-small at as_of 2025-03-15 (lifecycle stages of the members
 * subject included). Expectations worked out by hand from tests/fixtures/shop-small/README.md.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildShopSmall, byKey, type Warehouse } from "./shopSmall.ts";

/** What this file builds: its marts and their ancestors, not the rest of the project. */
const SELECT = "+path:models/marts/customers";
/** The data tests of this subject's models (schema YAML and singular SQL), run on the build. */
const DATA_TESTS = "path:models/marts/customers";

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

describe("customers_summary", () => {
  it("has one row per customer created by as_of: c01..c30 without c23 (created 2025-03-20), no x99", async () => {
    const ids = (await warehouse.rows("select customer_id from customers_summary order by customer_id")).map(
      (row) => row.customer_id,
    );
    const expected = Array.from({ length: 30 }, (_, i) => `c${String(i + 1).padStart(2, "0")}`).filter(
      (id) => id !== "c23",
    );
    expect(ids).toEqual(expected);
  });

  it("gives each customer the highest lifecycle stage whose condition holds", async () => {
    const rows = await warehouse.rows(
      "select lifecycle_stage, string_agg(customer_id, ' ' order by customer_id) as ids from customers_summary group by 1 order by 1",
    );
    // fan: no purchase (c21 is a member fan, c20 a referred fan, c30 has no channel).
    // advocate: c06 (one purchase, referred c12, a buyer); c12 (referred c29, a buyer).
    // loyal: c01 (member, 6 purchases since 2024-03-16), c08 (member since 06-01, 4: 06-18,
    //   07-22, 12-12, 02-10). c04 and c07 have only 3 in that window: member.
    // member: c04 c07 c14 c17 and c26 (joined 2025-03-15 18:00, on the as_of day).
    // repeat_buyer: 2+ purchases, not a member at as_of (c10 joins only 2025-04-01; c15's
    //   self-referral does not make her an advocate; c07's referral c20 never bought).
    // one_time_buyer: c27's only order is refunded after as_of, so it still counts.
    expect(rows).toEqual([
      { lifecycle_stage: "advocate", ids: "c06 c12" },
      { lifecycle_stage: "fan", ids: "c20 c21 c22 c30" },
      { lifecycle_stage: "loyal", ids: "c01 c08" },
      { lifecycle_stage: "member", ids: "c04 c07 c14 c17 c26" },
      { lifecycle_stage: "one_time_buyer", ids: "c11 c13 c16 c19 c25 c27 c29" },
      { lifecycle_stage: "repeat_buyer", ids: "c02 c03 c05 c09 c10 c15 c18 c24 c28" },
    ]);
  });

  it("sums purchases, revenue and margin per customer", async () => {
    const rows = byKey(await warehouse.rows("select * from customers_summary"), "customer_id");
    // c01: 100 + 100 + 200 + 100 + 200 + 100 + 200 + 100 = 1100; margins 60 + 60 + 110 + 60 +
    // 110 + 60 + 110 + 60 = 630.
    expect(rows.c01).toMatchObject({
      purchases: 8,
      net_revenue: 1100,
      gross_margin: 630,
      first_purchase_at: "2024-01-05 10:00:00",
      last_purchase_at: "2025-03-15 20:00:00",
      cohort_month: "2024-01-01",
      days_since_last_purchase: 0,
      is_member: true,
      tier: "金卡",
      is_loyal: true,
      is_advocate: false,
    });
    // c08: 200 + 300 + 100 + 200 + 100 = 900; 50 + 180 + 60 + 50 + 60 = 400; last 2025-02-10,
    // 18 days to the end of February + 15 = 33.
    expect(rows.c08).toMatchObject({
      purchases: 5,
      net_revenue: 900,
      gross_margin: 400,
      days_since_last_purchase: 33,
    });
    // c10: o021 refunded; 100 + 200 = 300, margin 60 + 110 = 170; member_since 2025-04-01 is
    // after as_of: not a member, shown null. Last purchase 2024-10-10: 21 + 30 + 31 + 31 + 28 +
    // 15 = 156 days.
    expect(rows.c10).toMatchObject({
      purchases: 2,
      net_revenue: 300,
      gross_margin: 170,
      member_since: null,
      is_member: false,
      days_since_last_purchase: 156,
      is_active: true,
    });
    // c16: one split purchase P02, 280 net.
    expect(rows.c16).toMatchObject({ purchases: 1, net_revenue: 280, gross_margin: 130, is_repeat: false });
    // c26 joined on the as_of day, after both purchases.
    expect(rows.c26).toMatchObject({ is_member: true, member_since: "2025-03-15 18:00:00", purchases: 2 });
  });

  it("gives fans zeros and nulls", async () => {
    const rows = byKey(await warehouse.rows("select * from customers_summary"), "customer_id");
    expect(rows.c21).toMatchObject({
      is_member: true,
      purchases: 0,
      net_revenue: 0,
      gross_margin: 0,
      first_purchase_at: null,
      last_purchase_at: null,
      cohort_month: null,
      days_since_last_purchase: null,
      is_buyer: false,
      is_repeat: false,
      is_active: false,
      is_loyal: false,
      is_advocate: false,
    });
  });

  it("marks buyers active when their last purchase is at most 180 days before as_of", async () => {
    // 2025-03-15 - 180 days = 2024-09-16. c09's last purchase 2024-09-15 is 181 days back:
    // inactive. Active: last purchase on or after 2024-09-16.
    const rows = await warehouse.rows(
      "select string_agg(customer_id, ' ' order by customer_id) as ids from customers_summary where is_active",
    );
    expect(rows[0]?.ids).toBe("c01 c02 c04 c07 c08 c10 c14 c17 c18 c24 c25 c26 c27 c28 c29");
    const [c09] = await warehouse.rows("select * from customers_summary where customer_id = 'c09'");
    expect(c09).toMatchObject({ days_since_last_purchase: 181, is_active: false });
  });

  it("follows loyal_min_purchases when overridden", async () => {
    // With 3 purchases in the last 365 days enough, the members c04 (05-03, 08-30, 01-05), c07
    // (06-18, 11-11, 03-08), c14 (05-12, 06-18, 11-11) and c17 (07-05, 08-05, 10-05) become loyal;
    // c12 (3 in the window: 03-16, 05-20, 09-09) is loyal too but stays an advocate; c26 has 2.
    const three = await buildShopSmall("2025-03-15", { loyal_min_purchases: "3" }, { select: SELECT });
    try {
      const rows = await three.rows(
        "select string_agg(customer_id, ' ' order by customer_id) as ids from customers_summary where is_loyal",
      );
      expect(rows[0]?.ids).toBe("c01 c04 c07 c08 c12 c14 c17");
      const [stage] = await three.rows(
        "select string_agg(customer_id, ' ' order by customer_id) as ids from customers_summary where lifecycle_stage = 'loyal'",
      );
      expect(stage?.ids).toBe("c01 c04 c07 c08 c14 c17");
    } finally {
      await three.close();
    }
  });
});

describe("customers_summary's money", () => {
  it("is stored as the purchases' own types, DECIMAL(18, 2) and (18, 4), not a 38-digit sum", async () => {
    // A DECIMAL(38, x) column is read back some ten times slower (its tests, referrals, pages).
    const rows = await warehouse.rows(
      `select column_name, data_type from information_schema.columns
       where table_name = 'customers_summary' and column_name in ('net_revenue', 'gross_margin')
       order by column_name`,
    );
    expect(rows).toEqual([
      { column_name: "gross_margin", data_type: "DECIMAL(18,4)" },
      { column_name: "net_revenue", data_type: "DECIMAL(18,2)" },
    ]);
  });
});

describe("int_buyers' purchase-day facts (what int_clv_inputs, int_buyer_first_purchases and RFM read)", () => {
  it("merges a day's purchases and finds the first later purchase day", async () => {
    const rows = byKey(
      await warehouse.rows(
        `select customer_id, first_purchase_id, purchases, purchase_days, first_day_revenue, next_purchase_date
         from int_buyers where customer_id in ('c03', 'c04', 'c10')`,
      ),
      "customer_id",
    );
    // c03: o003 (200, 2024-01-20 10:00) and o004 (50, 15:30) on one day, o012 (80) on 02-25:
    //   3 purchases on 2 days; the first day's revenue 200 + 50 = 250; next day 2024-02-25.
    expect(rows.c03).toEqual({
      customer_id: "c03",
      first_purchase_id: "o003",
      purchases: 3,
      purchase_days: 2,
      first_day_revenue: 250,
      next_purchase_date: "2024-02-25",
    });
    // c04: split order P01 (o005 270 + o006 100 = 370, one purchase) on 2024-01-28, then
    //   05-03, 08-30, 2025-01-05: 4 purchases on 4 days; next day 2024-05-03.
    expect(rows.c04).toEqual({
      customer_id: "c04",
      first_purchase_id: "P01",
      purchases: 4,
      purchase_days: 4,
      first_day_revenue: 370,
      next_purchase_date: "2024-05-03",
    });
    // c10: o016 (100, 2024-03-05); o021 fully refunded (no purchase); o045 on 2024-10-10.
    expect(rows.c10).toEqual({
      customer_id: "c10",
      first_purchase_id: "o016",
      purchases: 2,
      purchase_days: 2,
      first_day_revenue: 100,
      next_purchase_date: "2024-10-10",
    });
  });
});

describe("int_buyers' window and member totals (what repurchase_summary sums)", () => {
  it("counts the second purchase, the last 365 days and the purchases made while a member", async () => {
    const rows = byKey(
      await warehouse.rows(
        `select customer_id, second_purchase_date, purchases, net_revenue, purchases_last_365_days,
           net_revenue_last_365_days, member_purchases, member_net_revenue,
           member_purchases_last_365_days, member_net_revenue_last_365_days
         from int_buyers where customer_id in ('c01', 'c03', 'c08')`,
      ),
      "customer_id",
    );
    // c01 (member since 2023-11-20, before all 8 purchases): o001 2024-01-05, second o017 on
    //   2024-01-05 + 65 days = 2024-03-10; 8 purchases 1100; 6 of them (900) from 2024-03-16
    //   (as_of 2025-03-15 - 364); all made while a member.
    expect(rows.c01).toEqual({
      customer_id: "c01",
      second_purchase_date: "2024-03-10",
      purchases: 8,
      net_revenue: 1100,
      purchases_last_365_days: 6,
      net_revenue_last_365_days: 900,
      member_purchases: 8,
      member_net_revenue: 1100,
      member_purchases_last_365_days: 6,
      member_net_revenue_last_365_days: 900,
    });
    // c03 (never a member): o003 200 and o004 50 on 2024-01-20 (the second purchase is the same
    //   day), o012 80 on 02-25: 330; nothing in the last 365 days, so zero counts and sums.
    expect(rows.c03).toEqual({
      customer_id: "c03",
      second_purchase_date: "2024-01-20",
      purchases: 3,
      net_revenue: 330,
      purchases_last_365_days: 0,
      net_revenue_last_365_days: 0,
      member_purchases: 0,
      member_net_revenue: 0,
      member_purchases_last_365_days: 0,
      member_net_revenue_last_365_days: 0,
    });
    // c08 (member since 2024-06-01): o009 200 on 2024-02-10 before joining; then o030 300
    //   (2024-02-10 + 129 days = 2024-06-18), o036 100, o054 200, o060 100 as a member: 5
    //   purchases 900, of which 4 (700) made while a member, all four in the last 365 days.
    expect(rows.c08).toEqual({
      customer_id: "c08",
      second_purchase_date: "2024-06-18",
      purchases: 5,
      net_revenue: 900,
      purchases_last_365_days: 4,
      net_revenue_last_365_days: 700,
      member_purchases: 4,
      member_net_revenue: 700,
      member_purchases_last_365_days: 4,
      member_net_revenue_last_365_days: 700,
    });
  });
});
