/**
 * repurchase_monthly, repurchase_monthly_by_dimension and repurchase_summary on shop-small at
 * as_of 2025-03-15. Expectations worked out by hand from the purchase table of
 * tests/fixtures/shop-small/README.md; the working is in the comments.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildShopSmall, byKey, type Warehouse } from "./shopSmall.ts";

/** What this file builds: its marts and their ancestors, not the rest of the project. */
const SELECT = "+path:models/marts/repurchase";
/** The data tests of this subject's models (schema YAML and singular SQL), run on the build. */
const DATA_TESTS =
  "path:models/marts/repurchase path:models/intermediate/repurchase path:tests/marts/repurchase_monthly_unique_groups.sql";

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

describe("repurchase_monthly", () => {
  it("counts buyers, new and returning, repeats, purchases and revenue month by month", async () => {
    // month: buyers (new | returning) [repeat in month] purchases revenue (new | returning),
    // then buyback = previous month's buyers who bought again / previous month's buyers.
    // 2024-01 c01 c02 c03 c04 (4|0) [c03 twice] 5 800 (800|0); no previous month: null
    // 2024-02 c05 c06 c07 c08 | c03 [c05] 6 760 (680|80); Jan∩Feb = {c03}: 1/4
    // 2024-03 c09 c10 c11 c12 | c05 c01 6 710 (410|300); {c05}: 1/5
    // 2024-04 c13 | - 1 150; 0/6
    // 2024-05 c14 | c04 c12 3 580 (300|280); 0/1
    // 2024-06 x99 c15 c16 | c01 c07 c08 c14 [c15] 8 1230 (530|700); {c14}: 1/3
    // 2024-07 c17 | c08 2 180 (80|100); {c08}: 1/7
    // 2024-08 c18 | c17 c04 3 380 (200|180); {c17}: 1/2
    // 2024-09 c19 | c12 c09 c01 4 480 (100|380); 0/3
    // 2024-10 - | c17 c10 2 500 (0|500); 0/4
    // 2024-11 c24 c25 | c01 c07 c14 x99 6 880 (400|480); 0/2
    // 2024-12 - | c01 c08 2 300; {c01}: 1/6
    // 2025-01 c26 | c04 c02 c24 4 680 (80|600); 0/2
    // 2025-02 c29 | c08 c01 c18 4 480 (100|380); 0/4
    // 2025-03 c27 c28 | c07 c26 c01 [c28] 6 980 (380|600); {c01}: 1/4; partial
    const expected: [
      string,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ][] = [
      // month, buyers, new, returning, repeat, purchases, revenue, revenue_new, revenue_returning, buyback num, den
      ["2024-01-01", 4, 4, 0, 1, 5, 800, 800, 0, 0, 0],
      ["2024-02-01", 5, 4, 1, 1, 6, 760, 680, 80, 1, 4],
      ["2024-03-01", 6, 4, 2, 0, 6, 710, 410, 300, 1, 5],
      ["2024-04-01", 1, 1, 0, 0, 1, 150, 150, 0, 0, 6],
      ["2024-05-01", 3, 1, 2, 0, 3, 580, 300, 280, 0, 1],
      ["2024-06-01", 7, 3, 4, 1, 8, 1230, 530, 700, 1, 3],
      ["2024-07-01", 2, 1, 1, 0, 2, 180, 80, 100, 1, 7],
      ["2024-08-01", 3, 1, 2, 0, 3, 380, 200, 180, 1, 2],
      ["2024-09-01", 4, 1, 3, 0, 4, 480, 100, 380, 0, 3],
      ["2024-10-01", 2, 0, 2, 0, 2, 500, 0, 500, 0, 4],
      ["2024-11-01", 6, 2, 4, 0, 6, 880, 400, 480, 0, 2],
      ["2024-12-01", 2, 0, 2, 0, 2, 300, 0, 300, 1, 6],
      ["2025-01-01", 4, 1, 3, 0, 4, 680, 80, 600, 0, 2],
      ["2025-02-01", 4, 1, 3, 0, 4, 480, 100, 380, 0, 4],
      ["2025-03-01", 5, 2, 3, 1, 6, 980, 380, 600, 1, 4],
    ];
    const rows = await warehouse.rows("select * from repurchase_monthly order by month");
    expect(rows.map((row) => row.month)).toEqual(expected.map(([month]) => month));
    rows.forEach((row, i) => {
      const [
        ,
        buyers,
        fresh,
        returning,
        repeat,
        purchases,
        revenue,
        revenueNew,
        revenueReturning,
        back,
        previous,
      ] = expected[i]!;
      expect(row).toMatchObject({
        buyers,
        new_buyers: fresh,
        returning_buyers: returning,
        repeat_in_month_buyers: repeat,
        purchases,
        revenue,
        revenue_new: revenueNew,
        revenue_returning: revenueReturning,
        buyback_buyers: back,
        previous_month_buyers: previous,
        is_partial: i === expected.length - 1,
      });
      expect(row.aov).toBeCloseTo(revenue / purchases, 9);
      expect(row.revenue_per_buyer).toBeCloseTo(revenue / buyers, 9);
      expect(row.repurchase_rate).toBeCloseTo(repeat / buyers, 12);
      expect(row.returning_customer_rate).toBeCloseTo(returning / buyers, 12);
      if (previous === 0) expect(row.buyback_rate).toBeNull();
      else expect(row.buyback_rate).toBeCloseTo(back / previous, 12);
    });
  });
});

describe("repurchase_monthly_by_dimension", () => {
  async function group(dimension: string, value: string | null) {
    const where = value === null ? "value is null" : `value = '${value}'`;
    return warehouse.rows(
      `select * from repurchase_monthly_by_dimension where dimension = '${dimension}' and ${where} order by month`,
    );
  }

  it("counts only a channel's own purchases in its group", async () => {
    // tmall purchases: Jan c03 o003 o004 (same day); Feb c05 o007 200 + o011 100, c08 o009 200,
    // c03 o012 80; Mar c05 o015 200, c10 o016 100; Apr none (o021 refunded).
    const tmall = await group("channel", "tmall");
    expect(
      tmall
        .slice(0, 4)
        .map((row) => [
          row.month,
          row.buyers,
          row.new_buyers,
          row.returning_buyers,
          row.repeat_in_month_buyers,
          row.purchases,
          row.revenue,
          row.buyback_buyers,
          row.previous_month_buyers,
        ]),
    ).toEqual([
      ["2024-01-01", 1, 1, 0, 1, 2, 250, 0, 0],
      ["2024-02-01", 3, 2, 1, 1, 4, 580, 1, 1], // {c03} bought tmall again
      ["2024-03-01", 2, 1, 1, 0, 2, 300, 1, 3], // {c05}
      ["2024-04-01", 0, 0, 0, 0, 0, 0, 0, 2],
    ]);
    expect(tmall.map((row) => row.buyback_rate).slice(0, 4)).toEqual([null, 1, 1 / 3, 0]);
    expect([tmall[3]?.repurchase_rate, tmall[3]?.aov]).toEqual([null, null]);
  });

  it("puts a buyer in every channel they bought in, new vs returning by the first purchase overall", async () => {
    // wechat_mall in June 2024: x99 o026 120, c15 o027 80 + o034 50, c01 o028 200, c14 o031 100.
    // c14 bought first in the store in May: returning here, though new to wechat_mall.
    // May's wechat_mall buyers: c12 (o025), who did not come back in June: buyback 0 / 1.
    const june = (await group("channel", "wechat_mall")).find((row) => row.month === "2024-06-01");
    expect(june).toMatchObject({
      buyers: 4,
      new_buyers: 2,
      returning_buyers: 2,
      repeat_in_month_buyers: 1,
      purchases: 5,
      revenue: 550,
      revenue_new: 250,
      revenue_returning: 300,
      buyback_rate: 0,
    });
    // c14 is also in the store group (o024 May, o048 November).
    const store = byKey(await group("channel", "store"), "month");
    expect([store["2024-05-01"]?.buyers, store["2024-06-01"]?.buyers, store["2024-11-01"]?.buyers]).toEqual([
      1, 0, 1,
    ]);
  });

  it("groups by today's tier with all of the buyer's purchases", async () => {
    // 银卡: c07 (Feb, Jun, Nov, 2025-03), c08 (Feb, Jun, Jul, Dec, 2025-02), c17 (Jul, Aug, Oct).
    // The group starts in its first month, Feb 2024, so Feb has no previous month.
    const silver = await group("tier", "银卡");
    expect(silver).toHaveLength(14); // 2024-02 .. 2025-03
    expect(
      silver.slice(0, 7).map((row) => [row.month, row.buyers, row.new_buyers, row.revenue, row.buyback_rate]),
    ).toEqual([
      ["2024-02-01", 2, 2, 280, null], // o008 80 + o009 200
      ["2024-03-01", 0, 0, 0, 0], // 0 of 2 came back
      ["2024-04-01", 0, 0, 0, null],
      ["2024-05-01", 0, 0, 0, null],
      ["2024-06-01", 2, 0, 400, null], // o029 100 + o030 300
      ["2024-07-01", 2, 1, 180, 0.5], // c08 o036 100 (back), c17 o035 80 (new)
      ["2024-08-01", 1, 0, 100, 0.5], // c17 o037
    ]);
  });

  it("makes a null value its own group", async () => {
    // No acquisition channel: c19 (empty) and x99 (missing from customers).
    const none = await group("acquisition_channel", null);
    expect(
      none.map((row) => [row.month, row.buyers, row.new_buyers, row.returning_buyers, row.revenue]),
    ).toEqual([
      ["2024-06-01", 1, 1, 0, 120], // x99 o026
      ["2024-07-01", 0, 0, 0, 0],
      ["2024-08-01", 0, 0, 0, 0],
      ["2024-09-01", 1, 1, 0, 100], // c19 o040
      ["2024-10-01", 0, 0, 0, 0],
      ["2024-11-01", 1, 0, 1, 100], // x99 o051
      ["2024-12-01", 0, 0, 0, 0],
      ["2025-01-01", 0, 0, 0, 0],
      ["2025-02-01", 0, 0, 0, 0],
      ["2025-03-01", 0, 0, 0, 0],
    ]);
  });
});

describe("repurchase_summary", () => {
  it("summarizes all time", async () => {
    const rows = byKey(await warehouse.rows("select * from repurchase_summary"), "window");
    const all = rows.all_time!;
    // 26 buyers; one purchase only: c06 c11 c13 c16 c19 c25 c27 c29, so 18 repeat buyers.
    // 62 purchases; the 18 repeat buyers made 62 - 8 = 54.
    expect(all).toMatchObject({ buyers: 26, repeat_buyers: 18, purchases: 62, revenue: 9090 });
    expect(all.repurchase_rate).toBeCloseTo(18 / 26, 12);
    expect(all.avg_purchases_per_buyer).toBeCloseTo(62 / 26, 12);
    expect(all.avg_purchases_per_repeat_buyer).toBe(3);
    // Days from the first purchase day to the next later purchase day: c01 65, c02 369, c03 36,
    // c04 96, c05 17, c07 130, c08 129, c09 197, c10 219, c12 65, c14 37, c15 15, c17 31, c18 192,
    // c24 70, c26 66, c28 2, x99 159; none for c06 c11 c13 c16 c19 c25 c27 c29.
    // 90d: first purchase by 2024-12-15: the 22 buyers of 2024; within 90 days: c01 c03 c05 c12
    //   c14 c15 c17 c24 = 8 / 22.
    // 180d: first purchase by 2024-09-16: c01..c19 and x99 = 20; within 180: c01 c03 c04 c05 c07
    //   c08 c12 c14 c15 c17 x99 = 11 / 20.
    // 365d: first purchase by 2024-03-15: c01..c11 = 11; within 365: all repeaters but c02 (369)
    //   = c01 c03 c04 c05 c07 c08 c09 c10 = 8 / 11.
    expect(all.repurchase_rate_90d).toBeCloseTo(8 / 22, 12);
    expect(all.repurchase_rate_180d).toBeCloseTo(11 / 20, 12);
    expect(all.repurchase_rate_365d).toBeCloseTo(8 / 11, 12);
    // Days to the second purchase (order_seq 2; c03's is the same day: 0), sorted:
    // 0 2 15 17 31 37 65 65 66 | 70 96 129 130 159 192 197 219 369: (66 + 70) / 2 = 68.
    expect(all.median_days_to_second_purchase).toBe(68);
    // Members at purchase: c01 8 (1100), c04 4 (750), c07 4 (680), c08 4 after 06-01 (700),
    // c12 3 (380), c14 3 (480), c17 3 (480) = 7 buyers, all with 2+: rate 1; revenue 4570.
    // Mean repurchases (7 + 3 + 3 + 3 + 2 + 2 + 2) / 7 = 22 / 7.
    expect(all).toMatchObject({ member_buyers: 7, member_repurchase_rate: 1 });
    expect(all.member_avg_repurchases).toBeCloseTo(22 / 7, 12);
    expect(all.avg_revenue_per_member_buyer).toBeCloseTo(4570 / 7, 9);
    expect(all.member_revenue_share).toBeCloseTo(4570 / 9090, 12);
    // Non-members at purchase: the 19 buyers never members then, plus c08 (o009) = 20; 2+ such
    // purchases: c02 c03 c05 c09 c10 c15 c18 c24 c26 c28 x99 = 11; revenue 9090 - 4570 = 4520.
    expect(all.non_member_buyers).toBe(20);
    expect(all.non_member_repurchase_rate).toBeCloseTo(11 / 20, 12);
    expect(all.avg_revenue_per_non_member_buyer).toBe(226);
    expect(all.returning_vs_new_aov_ratio).toBeNull();
    // Top ceil(2.6) = 3 buyers: c01 1100 + c08 900 + c04 750 = 2750; top ceil(5.2) = 6: + c07 680
    // + c05 500 + c24 500 = 4430.
    expect(all.top_10pct_revenue_share).toBeCloseTo(2750 / 9090, 12);
    expect(all.top_20pct_revenue_share).toBeCloseTo(4430 / 9090, 12);
    // Orders placed by as_of: 69 (o070 is later). Partially refunded at as_of: o007, o033 (P02),
    // o050 (o066's refund is later) = 3; fully refunded: o021 o062 (o064's is later) = 2.
    // refund_rate = (3 + 2) / (62 + 2); cancelled o013 o020 o052 = 3 / 69.
    expect(all.refund_rate).toBeCloseTo(5 / 64, 12);
    expect(all.cancel_rate).toBeCloseTo(3 / 69, 12);
  });

  it("summarizes the 365 days ending as_of (2024-03-16 .. 2025-03-15)", async () => {
    const t12m = byKey(await warehouse.rows("select * from repurchase_summary"), "window").t12m!;
    // Purchases in the window: 46 (all 62 but January 5, February 6 and the five of March before
    // the 16th); revenue 9090 - (800 + 760 + 610) = 6920. Buyers: 22 (not c03 c05 c06 c11).
    // Window purchases per buyer: c01 6, c04 3, c07 3, c08 4, c12 3, c14 3, c17 3, c15 2, c18 2,
    // c24 2, c26 2, c28 2, x99 2 (13 repeat buyers, 37 purchases) and 9 with one.
    expect(t12m).toMatchObject({
      window_start: "2024-03-16",
      buyers: 22,
      repeat_buyers: 13,
      purchases: 46,
      revenue: 6920,
    });
    expect(t12m.repurchase_rate).toBeCloseTo(13 / 22, 12);
    expect(t12m.avg_purchases_per_buyer).toBeCloseTo(46 / 22, 12);
    expect(t12m.avg_purchases_per_repeat_buyer).toBeCloseTo(37 / 13, 12);
    // First purchase in the window: c12 c13 c14 c15 c16 c17 c18 c19 c24 c25 x99 (by 2024-12-15)
    // -> 90d: c12 c14 c15 c17 c24 = 5 / 11; by 2024-09-16 (all but c24 c25) -> 180d: c12 c14 c15
    // c17 x99 = 5 / 9; 365d: nobody's first purchase in the window is 365 days old: null.
    expect(t12m.repurchase_rate_90d).toBeCloseTo(5 / 11, 12);
    expect(t12m.repurchase_rate_180d).toBeCloseTo(5 / 9, 12);
    expect(t12m.repurchase_rate_365d).toBeNull();
    // Second purchases in the window: c02 369, c04 96, c07 130, c08 129, c09 197, c10 219, c12 65,
    // c14 37, c15 15, c17 31, c18 192, c24 70, c26 66, c28 2, x99 159 -> sorted 2 15 31 37 65 66 70
    // [96] 129 130 159 192 197 219 369: 96.
    expect(t12m.median_days_to_second_purchase).toBe(96);
    // Member purchases in the window: c01 6 (900), c04 3 (380), c07 3 (600), c08 4 (700), c12 3
    // (380), c14 3 (480), c17 3 (480): 7 buyers, 3920; repurchases (5+2+2+3+2+2+2) / 7 = 18 / 7.
    expect(t12m).toMatchObject({
      member_buyers: 7,
      member_repurchase_rate: 1,
      avg_revenue_per_member_buyer: 560,
    });
    expect(t12m.member_avg_repurchases).toBeCloseTo(18 / 7, 12);
    expect(t12m.member_revenue_share).toBeCloseTo(3920 / 6920, 12);
    // Non-members: 22 - 7 = 15 buyers, 6920 - 3920 = 3000; 2+: c15 c18 c24 c26 c28 x99 = 6.
    expect(t12m).toMatchObject({ non_member_buyers: 15, avg_revenue_per_non_member_buyer: 200 });
    expect(t12m.non_member_repurchase_rate).toBeCloseTo(6 / 15, 12);
    // Returning (first purchase before 2024-03-16): c01 6 (900), c02 1 (100), c04 3 (380), c07 3
    // (600), c08 4 (700), c09 1 (80), c10 1 (200) = 19 purchases, 2960; new: 27 purchases, 3960.
    expect(t12m.returning_vs_new_aov_ratio).toBeCloseTo(2960 / 19 / (3960 / 27), 12);
    // Top ceil(2.2) = 3: c01 900 + c08 700 + c07 600 = 2200; top ceil(4.4) = 5: + c24 500 + c14
    // 480 (tied with c17, broken by id) = 3180.
    expect(t12m.top_10pct_revenue_share).toBeCloseTo(2200 / 6920, 12);
    expect(t12m.top_20pct_revenue_share).toBeCloseTo(3180 / 6920, 12);
    // Orders placed in the window: 69 - 18 (o001..o018) = 51; partially refunded o033 o050, fully
    // refunded o021 o062: (2 + 2) / (46 + 2); cancelled o020 o052: 2 / 51.
    expect(t12m.refund_rate).toBeCloseTo(4 / 48, 12);
    expect(t12m.cancel_rate).toBeCloseTo(2 / 51, 12);
  });
});
