/**
 * product_roles, category_roles, cross_category and category_repurchase on shop-small at as_of
 * 2025-03-15, worked out by hand from the fixture's orders and items (README.md). 26 buyers;
 * item revenue = quantity x unit_price over the purchases at as_of (o021 and o062 are fully
 * refunded, cancelled orders are not purchases).
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

const DATA_TESTS =
  "path:models/marts/products path:models/intermediate/products path:seeds/product_role_rules.csv";

it("passes the data tests of its models and seeds (YAML and singular)", () => {
  expect(warehouse.dataTestFailures).toEqual([]);
});

// Item revenue per product (total 8990):
//   p01 24 items x 100 = 2400 (o001 o006 o007 o010 o016 o017 o019 o029 o031 o036 o037 o040
//       o043 o047 o049 o050 o053 o055 o057 o059 o060 o064 o068 o069)
//   p02 10 x 200 = 2000 (o003 o007 o015 o028 o032 o038 o045 o046 o061 o066)
//   p03 12 x 80 + o014 2 x 75 + o033 2 x 80 = 1270 (16 units)
//   p04 o005 270 + 4 x 300 = 1470;  p05 4 x 200 = 800;  p06 50 + 150 + 50 = 250;  p07 2 x 400 = 800
// Costs: p01 23 x 40 + 35 (o010) = 955; p02 10 x 90 = 900; p03 16 x 30 = 480; p04 5 x 120 = 600;
//   p05 4 x 150 = 600; p06 unknown: 250 x (1 - 0.4) = 150; p07 2 x 250 = 500.
// First purchases (order_seq 1) holding the product:
//   p01 c01 c04(P01) c05(o007) c06 c10 c12 c19 c24 c25(o050) c27 c29 = 11; p02 c03 c05 c16(P02)
//   c18 c28 = 5; p03 c02 c07 c09 c15 c16 c17 c26 = 7; p04 c04 c14 c25 = 3; p05 c08; p06 c13; p07 none.
// Matured (first purchase on or before 2024-09-16) and back on a later day within 180 days:
//   p01 c01 yes c04 yes c05 yes c06 no c10 no (219 d) c12 yes c19 no = 4/7; p02 c03 yes c05 yes
//   c16 no c18 no (192 d) = 2/4; p03 c02 no c07 yes c09 no (197 d) c15 yes c16 no c17 yes = 3/6;
//   p04 c04 yes c14 yes = 2/2; p05 c08 yes = 1/1; p06 c13 no = 0/1; p07 none: null.
// Revenue from first purchases: p01 11 x 100 = 1100; p02 5 x 200 = 1000; p03 80 (o002) + 80 (o008)
//   + 150 (o014) + 80 (o027) + 160 (o033) + 80 (o035) + 80 (o056) = 710; p04 270 + 300 + 300 = 870;
//   p05 200; p06 150 (o022); p07 0.
// Last 90 days (2024-12-15, 2025-03-15] vs the 90 before (2024-09-16, 2024-12-15]:
//   p01 7 x 100 (o055 o057 o059 o060 o064 o068 o069) vs 5 x 100 (o043 o047 o049 o050 o053): 0.4
//   p02 400 (o061 o066) vs 400 (o045 o046): 0;  p03 240 (o056 o063 o067) vs 80 (o048): 2
//   p04 0 vs 600 (o044 o050): -1;  p05 0 vs 200 (o054): -1;  p06 0 vs 0: null;  p07 800 vs 0: null
// Days since launch to 2025-03-15: p01 p02 2023-06-01 -> 653; p03 2023-09-01 -> 561;
//   p04 2024-03-01 -> 379; p05 2023-01-01 -> 804; p06 2024-01-01 -> 439; p07 2025-01-10 -> 64.
//   p08 launches 2025-04-01, after as_of: no row.
const products: Record<
  string,
  [string, number, number, number, number, number | null, number, number | null, number]
> = {
  // id: [category, revenue, cost, first-purchase buyers, matured, repeat, first-purchase revenue,
  //      growth, days]
  p01: ["美妆", 2400, 955, 11, 7, 4, 1100, 0.4, 653],
  p02: ["美妆", 2000, 900, 5, 4, 2, 1000, 0, 653],
  p03: ["女装", 1270, 480, 7, 6, 3, 710, 2, 561],
  p04: ["女装", 1470, 600, 3, 2, 2, 870, -1, 379],
  p05: ["母婴", 800, 600, 1, 1, 1, 200, -1, 804],
  p06: ["食品", 250, 150, 1, 1, 0, 150, null, 439],
  p07: ["3C", 800, 500, 0, 0, null, 0, null, 64],
};

// Roles, percentiles over the 7 products (all with revenue), linear interpolation h = 6p:
//   first_purchase_share sorted 0, 1, 1, 3, 5, 7, 11 (/26): P75 at h = 4.5 -> 6/26
//   margin_rate sorted .25 .375 .4 .55 .5918 .6021 .6220: P50 = 0.55 (p02)
//   returning_revenue_share sorted .4 .4082 .4409 .5 .5417 .75 1: P50 = 0.5 (p02)
//   revenue sorted 250 800 800 1270 1470 2000 2400: P50 = 1270, P25 at h = 1.5 -> 800
//   traffic (fps >= 6/26 and margin <= .55): p01, p03 have the share but margins .602, .622: none
//   profit: p01 (.602, .542, 2400) and p02 (.55 = P50, .5 = P50, 2000) hold; p03, p04 fail returning
//   potential (days <= 180 or growth >= .5, and revenue < 1270): p07 (64 d, 800); p03 grows 2
//     but its revenue 1270 is not below P50
//   marginal (revenue <= 800): p05 800, p06 250; p03, p04: other
const roles: Record<string, string> = {
  p01: "profit",
  p02: "profit",
  p03: "other",
  p04: "other",
  p05: "marginal",
  p06: "marginal",
  p07: "potential",
};

describe("product_roles", () => {
  it("computes every metric of every product launched by as_of", async () => {
    const rows = byKey(await warehouse.rows("select * from product_roles"), "product_id");
    expect(Object.keys(rows).sort()).toEqual(Object.keys(products));
    for (const [
      id,
      [category, revenue, cost, firsts, matured, repeat, firstRevenue, growth, days],
    ] of Object.entries(products)) {
      const row = rows[id]!;
      expect({ id, category: row.category, revenue: row.revenue, days: row.days_since_launch }).toEqual({
        id,
        category,
        revenue,
        days,
      });
      expect(row.revenue_share).toBeCloseTo(revenue / 8990, 12);
      expect(row.margin_rate).toBeCloseTo((revenue - cost) / revenue, 12);
      expect(row.first_purchase_share).toBeCloseTo(firsts / 26, 12);
      if (repeat === null) expect(row.repeat_after_first_rate).toBeNull();
      else expect(row.repeat_after_first_rate).toBeCloseTo(repeat / matured, 12);
      expect(row.returning_revenue_share).toBeCloseTo((revenue - firstRevenue) / revenue, 12);
      if (growth === null) expect(row.revenue_growth_90d).toBeNull();
      else expect(row.revenue_growth_90d).toBeCloseTo(growth, 12);
      expect({ id, role: row.role }).toEqual({ id, role: roles[id] });
    }
  });
});

describe("category_roles", () => {
  it("computes the same metrics per category, roles by percentiles over categories", async () => {
    const rows = byKey(await warehouse.rows("select * from category_roles"), "category");
    // 美妆 = p01 + p02: revenue 4400, cost 1855, first purchases p01's 11 + p02's 5 - c05 (both)
    //   = 15, matured c01 c04 c05 c06 c10 c12 c19 c03 c16 c18 = 10 of which back c01 c04 c05 c12
    //   c03 = 5; first-purchase revenue 2100; last 90 days 1100 vs 900: 1100/900 - 1.
    // 女装 = p03 + p04: 2740, cost 1080, first purchases 7 + 3 = 10, matured c02 c07 c09 c15 c16
    //   c17 c04 c14 = 8, back c07 c15 c17 c04 c14 = 5; first revenue 1580; 240 vs 680.
    // 母婴, 食品, 3C: their single products (p08 食品 launches after as_of). Days: oldest product.
    const want: Record<
      string,
      [number, number, number, number, number | null, number, number | null, number, string]
    > = {
      美妆: [4400, 1855, 15, 10, 5, 2100, 1100 / 900 - 1, 653, "profit"],
      女装: [2740, 1080, 10, 8, 5, 1580, 240 / 680 - 1, 561, "other"],
      母婴: [800, 600, 1, 1, 1, 200, -1, 804, "marginal"],
      食品: [250, 150, 1, 1, 0, 150, null, 439, "marginal"],
      "3C": [800, 500, 0, 0, null, 0, null, 64, "marginal"],
    };
    // Percentiles over 5 categories, h = 4p: first_purchase_share 0 1 1 10 15 (/26), P75 (h = 3)
    //   = 10/26; margin .25 .375 .4 .578 .606, P50 = 0.4; returning .4 .423 .523 .75 1, P50 =
    //   .523 (美妆); revenue 250 800 800 2740 4400, P50 = P25 = 800.
    //   traffic: 女装 and 美妆 have the share, margins above 0.4: none.
    //   profit: 美妆 (.578 >= .4, .523 = P50, 4400 >= 800); 女装 returning .423 fails; 食品 .4 fails.
    //   potential: 3C is new (64 d) but 800 is not below P50 = 800.
    //   marginal (<= 800): 3C, 母婴, 食品; 女装 other.
    expect(Object.keys(rows).sort()).toEqual(Object.keys(want).sort());
    for (const [
      category,
      [revenue, cost, firsts, matured, repeat, firstRevenue, growth, days, role],
    ] of Object.entries(want)) {
      const row = rows[category]!;
      expect({ category, revenue: row.revenue, days: row.days_since_launch, role: row.role }).toEqual({
        category,
        revenue,
        days,
        role,
      });
      expect(row.revenue_share).toBeCloseTo(revenue / 8990, 12);
      expect(row.margin_rate).toBeCloseTo((revenue - cost) / revenue, 12);
      expect(row.first_purchase_share).toBeCloseTo(firsts / 26, 12);
      if (repeat === null) expect(row.repeat_after_first_rate).toBeNull();
      else expect(row.repeat_after_first_rate).toBeCloseTo(repeat / matured, 12);
      expect(row.returning_revenue_share).toBeCloseTo((revenue - firstRevenue) / revenue, 12);
      if (growth === null) expect(row.revenue_growth_90d).toBeNull();
      else expect(row.revenue_growth_90d).toBeCloseTo(growth, 12);
    }
  });
});

describe("cross_category", () => {
  it("counts each category's buyers and those who bought another category too", async () => {
    // Categories bought per buyer (all purchases): only 美妆: c01 c05 c06 c10 c19 c27 c29;
    //   only 女装: c09; only 食品: c13; none (no items): c11, x99. Everyone else bought 2+.
    // 美妆 buyers: c01 c02 c03 c04 c05 c06 c07 c08 c10 c12 c14 c16 c17 c18 c19 c24 c25 c26 c27
    //   c28 c29 = 21, cross 21 - 7 = 14. 女装: c02 c03 c04 c07 c08 c09 c12 c14 c15 c16 c17 c18
    //   c25 c26 c28 = 15, cross 14. 母婴: c04 c08 c12, all cross. 食品: c03 c13 c15, cross 2.
    //   3C: c07 c24, both cross.
    const rows = await warehouse.rows("select * from cross_category order by category");
    const got = Object.fromEntries(
      rows.map((row) => [row.category, [row.buyers, row.cross_buyers, row.cross_share]]),
    );
    expect(got).toEqual({
      "3C": [2, 2, 1],
      女装: [15, 14, 14 / 15],
      母婴: [3, 3, 1],
      美妆: [21, 14, 14 / 21],
      食品: [3, 2, 2 / 3],
    });
  });
});

describe("category_repurchase", () => {
  it("pools the gaps between a buyer's buying days of the category", async () => {
    const rows = byKey(await warehouse.rows("select * from category_repurchase"), "category");
    // 美妆 days: c01 01-05, 03-10, 06-18, 09-20, 11-11, 12-12, 2025-02-14, 03-15: gaps 65 100 94 52
    //   31 64 29; c04 01-28 -> 2025-01-05: 343; c05 02-03 -> 03-05: 31; c07 06-18 -> 11-11: 146;
    //   c08 07-22 -> 2025-02-10: 203; c10 03-05 -> 10-10: 219. 6 of 21 buyers repeat.
    //   12 gaps sorted 29 31 31 52 64 65 94 100 146 203 219 343: median (65 + 94) / 2 = 79.5;
    //   p25 at h = 2.75: 31 + 0.75 x 21 = 46.75; p75 at h = 8.25: 146 + 0.25 x 57 = 160.25.
    // 女装: c04 01-28 -> 08-30: 215; c09 03-02 -> 09-15: 197; c14 05-12 -> 11-11: 183;
    //   c17 07-05 -> 10-05: 92. 4 of 15. Sorted 92 183 197 215: median 190, p25 at h = 0.75:
    //   92 + 0.75 x 91 = 160.25, p75 at h = 2.25: 197 + 0.25 x 18 = 201.5.
    // 母婴: c08 02-10 -> 12-12: 306, 1 of 3. 食品 and 3C: nobody twice.
    const want: Record<string, [number, number, number | null, number | null, number | null]> = {
      美妆: [21, 6, 79.5, 46.75, 160.25],
      女装: [15, 4, 190, 160.25, 201.5],
      母婴: [3, 1, 306, 306, 306],
      食品: [3, 0, null, null, null],
      "3C": [2, 0, null, null, null],
    };
    for (const [category, [buyers, repeat, median, p25, p75]] of Object.entries(want)) {
      const row = rows[category]!;
      expect([category, row.buyers, row.repeat_in_category_buyers]).toEqual([category, buyers, repeat]);
      expect(row.repeat_in_category_rate).toBeCloseTo(repeat / buyers, 12);
      expect([row.median_days_between, row.p25_days_between, row.p75_days_between]).toEqual([
        median,
        p25,
        p75,
      ]);
    }
  });
});

describe("product_roles of a product without revenue", () => {
  let later: Warehouse;
  beforeAll(async () => {
    later = await buildShopSmall("2025-06-30");
  });
  afterAll(async () => {
    await later?.close();
  });

  it("calls p08, launched 2025-04-01 and never sold, potential at as_of 2025-06-30", async () => {
    // 2025-04-01 -> 2025-06-30 = 29 + 31 + 30 = 90 days <= 180: rule no_revenue_new.
    const rows = byKey(await later.rows("select * from product_roles"), "product_id");
    expect(rows.p08).toEqual({
      product_id: "p08",
      category: "食品",
      revenue: 0,
      revenue_share: 0,
      margin_rate: null,
      first_purchase_share: 0,
      repeat_after_first_rate: null,
      returning_revenue_share: null,
      revenue_growth_90d: null,
      days_since_launch: 90,
      role: "potential",
    });
  });
});

describe("int_buyer_categories", () => {
  it("keeps per buyer and category the gaps, the breadth and the first purchase", async () => {
    // c01 bought only 美妆 (p01, p02) on 2024-01-05, 03-10, 06-18, 09-20, 11-11, 12-12,
    //   2025-02-14, 03-15 (o013 of 02-28 is cancelled): gaps in date order 26 + 29 + 10 = 65,
    //   21 + 30 + 31 + 18 = 100, 12 + 31 + 31 + 20 = 94, 10 + 31 + 11 = 52, 19 + 12 = 31,
    //   19 + 31 + 14 = 64, 14 + 15 = 29; first purchase o001 (p01), back 65 days later: within 180.
    // c16 bought once: P02 of 2024-06-18 (o032 p02 美妆, o033 p03 女装): two rows, no gap, a
    //   cross buyer, both in the first purchase, never back.
    const rows = await warehouse.rows(
      `select customer_id, category, days_between, is_cross_buyer, is_in_first_purchase,
          first_purchase_products, first_order_date, has_repurchase_180d
       from int_buyer_categories where customer_id in ('c01', 'c16') order by customer_id, category`,
    );
    // the adapter hands lists over as JSON text
    const parsed = rows.map((row) => ({
      ...row,
      days_between: JSON.parse(String(row.days_between)),
      first_purchase_products: JSON.parse(String(row.first_purchase_products)),
    }));
    expect(parsed).toEqual([
      {
        customer_id: "c01",
        category: "美妆",
        days_between: [65, 100, 94, 52, 31, 64, 29],
        is_cross_buyer: false,
        is_in_first_purchase: true,
        first_purchase_products: ["p01"],
        first_order_date: "2024-01-05",
        has_repurchase_180d: true,
      },
      {
        customer_id: "c16",
        category: "女装",
        days_between: [],
        is_cross_buyer: true,
        is_in_first_purchase: true,
        first_purchase_products: ["p03"],
        first_order_date: "2024-06-18",
        has_repurchase_180d: false,
      },
      {
        customer_id: "c16",
        category: "美妆",
        days_between: [],
        is_cross_buyer: true,
        is_in_first_purchase: true,
        first_purchase_products: ["p02"],
        first_order_date: "2024-06-18",
        has_repurchase_180d: false,
      },
    ]);
  });
});
