/**
 * referrals and referral_summary on shop-small at as_of 2025-03-15. Referrers in
 * customers.csv: c06 -> c12 (a buyer), c07 -> c20 (a fan), c12 -> c29 (a buyer whose second
 * order o062 was fully refunded), c15 -> c15 (refers herself: not a referral).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildShopSmall, byKey, SHOP_SMALL_AS_OF, type Warehouse } from "./shopSmall.ts";

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await buildShopSmall(SHOP_SMALL_AS_OF, {}, { dataTests: DATA_TESTS });
});
afterAll(async () => {
  await warehouse?.close();
});

const DATA_TESTS = "path:models/marts/referrals";

it("passes the data tests of its models and seeds (YAML and singular)", () => {
  expect(warehouse.dataTestFailures).toEqual([]);
});

describe("referrals", () => {
  it("has one row per referrer with the referred customers' buyers and revenue", async () => {
    const rows = await warehouse.rows("select * from referrals order by referrer_id");
    // c12's net revenue: o019 100 + o025 80 + o041 200 = 380; c29: o059 100 (o062 refunded).
    expect(rows).toEqual([
      { referrer_id: "c06", referred_customers: 1, referred_buyers: 1, referred_revenue: 380 },
      { referrer_id: "c07", referred_customers: 1, referred_buyers: 0, referred_revenue: 0 },
      { referrer_id: "c12", referred_customers: 1, referred_buyers: 1, referred_revenue: 100 },
      { referrer_id: "c15", referred_customers: 0, referred_buyers: 0, referred_revenue: 0 },
    ]);
  });
});

describe("referral_summary", () => {
  it("compares referred buyers with everyone else", async () => {
    const rows = byKey(await warehouse.rows("select * from referral_summary"), "group");
    // referred: c12 (3 purchases; first 2024-03-16 matured, back 05-20) and c29 (1 purchase,
    //   first 2025-02-05 not matured): repeat 1/2, 180d 1/1, revenue (380 + 100) / 2 = 240.
    // not_referred: the other 24 buyers (x99 and the self-referring c15 included). Repeat
    //   buyers of the shop: c01 c02 c03 c04 c05 c07 c08 c09 c10 c12 c14 c15 c17 c18 c24 c26 c28
    //   x99 = 18, minus c12 = 17. Matured 20 - c12 = 19, back within 180 days 11 - c12 = 10.
    //   Revenue 9090 - 480 = 8610, / 24 = 358.75.
    expect(rows.referred).toEqual({
      group: "referred",
      buyers: 2,
      repeat_buyers: 1,
      repurchase_rate: 0.5,
      repurchase_rate_180d: 1,
      avg_net_revenue_per_buyer: 240,
    });
    expect(rows.not_referred).toEqual({
      group: "not_referred",
      buyers: 24,
      repeat_buyers: 17,
      repurchase_rate: 17 / 24,
      repurchase_rate_180d: 10 / 19,
      avg_net_revenue_per_buyer: 358.75,
    });
  });
});
