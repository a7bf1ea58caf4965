/**
 * rfm_segments, rfm_segment_summary and rfm_migration on shop-small at as_of 2025-03-15.
 * Every expectation is worked out by hand from tests/fixtures/shop-small/README.md (purchases
 * and their net revenue per customer); the working is in the comments.
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
  "path:models/marts/segments path:models/intermediate/segments path:seeds/rfm_score_thresholds.csv path:seeds/rfm_segment_map.csv";

it("passes the data tests of its models and seeds (YAML and singular)", () => {
  expect(warehouse.dataTestFailures).toEqual([]);
});

// Per buyer: last purchase date, recency = 2025-03-15 - last, purchases, net revenue (README
// purchase table), then R (<=30:5, <=90:4, <=180:3, <=365:2, else 1), F (1,2,3, 4-5:4, 6+:5).
// Monetary ranks over 26 buyers, ascending, ties at the lowest rank:
//   c11 60 (1); c06 c19 c27 c29 100 (2); c15 130 (6); c13 150 (7); c02 c26 180 (8); x99 220 (10);
//   c09 230 (11); c16 c18 c28 280 (12); c10 c25 300 (15); c03 330 (17); c12 380 (18);
//   c14 c17 480 (19); c05 c24 500 (21); c07 680 (23); c04 750 (24); c08 900 (25); c01 1100 (26).
// m = 1 + floor(5 (rank - 1) / 25) capped at 5 = 1 + floor((rank - 1) / 5): ranks 1-5 -> 1,
// 6-10 -> 2, 11-15 -> 3, 16-20 -> 4, 21+ -> 5. Tier: (rank - 1) / 25 >= 0.9 (rank >= 24) gold,
// >= 0.6 (rank >= 16) silver, else bronze.
const expected: Record<string, [number, number, number, string, string, string]> = {
  // id: [recency_days, frequency, monetary, cell, segment, value_tier]
  c01: [0, 8, 1100, "555", "champions", "gold"], // last 2025-03-15 (o069)
  c02: [59, 2, 180, "422", "potential_loyalist", "bronze"], // 2025-01-15: 16 + 28 + 15 = 59
  c03: [384, 3, 330, "134", "at_risk", "silver"], // 2024-02-25: 366 to 2025-02-25, + 18
  c04: [69, 4, 750, "445", "loyal", "gold"], // 2025-01-05: 26 + 28 + 15
  c05: [375, 3, 500, "135", "at_risk", "silver"], // 2024-03-05: 365 to 2025-03-05, + 10
  c06: [395, 1, 100, "111", "hibernating", "bronze"], // 2024-02-14
  c07: [7, 4, 680, "545", "champions", "silver"], // 2025-03-08 (o065)
  c08: [33, 5, 900, "445", "loyal", "gold"], // 2025-02-10: 18 + 15
  c09: [181, 2, 230, "223", "hibernating", "bronze"], // 2024-09-15: 15+31+30+31+31+28+15
  c10: [156, 2, 300, "323", "about_to_sleep", "bronze"], // 2024-10-10 (o021 refunded: no purchase)
  c11: [368, 1, 60, "111", "hibernating", "bronze"], // 2024-03-12
  c12: [187, 3, 380, "234", "at_risk", "silver"], // 2024-09-09
  c13: [344, 1, 150, "212", "hibernating", "bronze"], // 2024-04-05
  c14: [124, 3, 480, "334", "need_attention", "silver"], // 2024-11-11: 19+31+31+28+15
  c15: [263, 2, 130, "222", "hibernating", "bronze"], // 2024-06-25
  c16: [270, 1, 280, "213", "hibernating", "bronze"], // 2024-06-18 (split P02 counts once)
  c17: [161, 3, 480, "334", "need_attention", "silver"], // 2024-10-05
  c18: [15, 2, 280, "523", "potential_loyalist", "bronze"], // 2025-02-28
  c19: [193, 1, 100, "211", "hibernating", "bronze"], // 2024-09-03
  c24: [54, 2, 500, "425", "potential_loyalist", "silver"], // 2025-01-20
  c25: [124, 1, 300, "313", "about_to_sleep", "bronze"], // 2024-11-11
  c26: [0, 2, 180, "522", "potential_loyalist", "bronze"], // 2025-03-15 10:00
  c27: [10, 1, 100, "511", "new", "bronze"], // 2025-03-05, refunded only on 03-20 (after as_of)
  c28: [3, 2, 280, "523", "potential_loyalist", "bronze"], // 2025-03-12; o070 cancelled
  c29: [38, 1, 100, "411", "promising", "bronze"], // 2025-02-05; o062 fully refunded
  x99: [124, 2, 220, "322", "about_to_sleep", "bronze"], // missing from customers.csv: still a buyer
};

describe("rfm_segments", () => {
  it("has one row per buyer with hand-computed recency, frequency, monetary, scores and segment", async () => {
    const rows = byKey(await warehouse.rows("select * from rfm_segments"), "customer_id");
    expect(Object.keys(rows).sort()).toEqual(Object.keys(expected).sort());
    for (const [id, [recency, frequency, monetary, cell, segment, tier]] of Object.entries(expected)) {
      const row = rows[id]!;
      expect({ id, recency: row.recency_days, frequency: row.frequency, monetary: row.monetary }).toEqual({
        id,
        recency,
        frequency,
        monetary,
      });
      expect({ id, cell: row.rfm_cell, segment: row.segment, tier: row.value_tier }).toEqual({
        id,
        cell,
        segment,
        tier,
      });
      expect(`${row.r_score}${row.f_score}${row.m_score}`).toBe(cell);
    }
  });
});

describe("rfm_segments.monetary", () => {
  it("is stored as DECIMAL(18, 2), the type of the money summed, not a 38-digit sum", async () => {
    // rfm_segment_summary, the reconciliation test and the pages sum it over every buyer.
    const rows = await warehouse.rows(
      `select data_type from information_schema.columns
       where table_name = 'rfm_segments' and column_name = 'monetary'`,
    );
    expect(rows).toEqual([{ data_type: "DECIMAL(18,2)" }]);
  });
});

describe("rfm_segment_summary", () => {
  it("sums the buyers and revenue of each segment, empty segments included", async () => {
    const rows = byKey(await warehouse.rows("select * from rfm_segment_summary"), "segment");
    // From the table above (26 buyers, 9090 revenue):
    //   champions c01 c07: 1100 + 680 = 1780, recency (0 + 7) / 2 = 3.5, frequency (8 + 4) / 2 = 6
    //   loyal c04 c08: 750 + 900 = 1650; potential_loyalist c02 c18 c24 c26 c28:
    //   180 + 280 + 500 + 180 + 280 = 1420; new c27 100; promising c29 100;
    //   need_attention c14 c17 960; about_to_sleep c10 c25 x99: 300 + 300 + 220 = 820;
    //   at_risk c03 c05 c12: 330 + 500 + 380 = 1210; hibernating c06 c09 c11 c13 c15 c16 c19:
    //   100 + 230 + 60 + 150 + 130 + 280 + 100 = 1050; cannot_lose none.
    const want: Record<string, [number, number]> = {
      champions: [2, 1780],
      loyal: [2, 1650],
      potential_loyalist: [5, 1420],
      new: [1, 100],
      promising: [1, 100],
      need_attention: [2, 960],
      about_to_sleep: [3, 820],
      at_risk: [3, 1210],
      cannot_lose: [0, 0],
      hibernating: [7, 1050],
    };
    expect(Object.keys(rows).sort()).toEqual(Object.keys(want).sort());
    for (const [segment, [customers, revenue]] of Object.entries(want)) {
      expect({ segment, customers: rows[segment]!.customers, revenue: rows[segment]!.revenue }).toEqual({
        segment,
        customers,
        revenue,
      });
      expect(rows[segment]!.share).toBeCloseTo(customers / 26, 12);
      expect(rows[segment]!.revenue_share).toBeCloseTo(revenue / 9090, 12);
    }
    expect(rows.champions!.avg_recency_days).toBe(3.5);
    expect(rows.champions!.avg_frequency).toBe(6);
    expect(rows.champions!.avg_monetary).toBe(890);
    // at_risk recency (384 + 375 + 187) / 3 = 315.33
    expect(rows.at_risk!.avg_recency_days).toBeCloseTo(946 / 3, 10);
    expect(rows.cannot_lose!.avg_recency_days).toBeNull();
    expect(rows.cannot_lose!.share).toBe(0);
  });
});

describe("rfm_migration", () => {
  it("moves each buyer from their segment at as_of - 90 (2024-12-15) to today's", async () => {
    // At 2024-12-15 (purchases up to that day): recency from 2024-12-15, same seeds.
    //   c01 6 purchases, last 12-12 (3 d): R5 F5 champions -> champions
    //   c08 4, last 12-12: R5 F4 champions -> loyal
    //   c02 1, last 2024-01-12 (338 d): R2 F1 hibernating -> potential_loyalist
    //   c06 (305 d), c11 (278 d), c13 (254 d): hibernating -> hibernating
    //   c03 3, 294 d; c05 3, 285 d: R2 F3 at_risk -> at_risk
    //   c04 3, last 08-30 (107 d): R3 F3 need_attention -> loyal
    //   c12 3, last 09-09 (97 d): need_attention -> at_risk
    //   c07 3, last 11-11 (34 d): R4 F3 potential_loyalist -> champions
    //   c10 2, last 10-10 (66 d); x99 2, 11-11: R4 F2 potential_loyalist -> about_to_sleep
    //   c14 3, 11-11; c17 3, 10-05 (71 d): potential_loyalist -> need_attention
    //   c09 2, 09-15 (91 d): R3 F2; c15 2, 06-25 (173 d); c16 1, 06-18 (180 d); c19 1, 09-03:
    //   about_to_sleep -> hibernating; c18 1, 08-20 (117 d): about_to_sleep -> potential_loyalist
    //   c24 1, 11-11; c25 1, 11-11: R4 F1 promising -> potential_loyalist / about_to_sleep
    //   first purchase after 2024-12-15: c26, c28 none -> potential_loyalist; c27 -> new; c29 -> promising
    const want = {
      "champions|champions": 1,
      "champions|loyal": 1,
      "hibernating|potential_loyalist": 1,
      "hibernating|hibernating": 3,
      "at_risk|at_risk": 2,
      "need_attention|loyal": 1,
      "need_attention|at_risk": 1,
      "potential_loyalist|champions": 1,
      "potential_loyalist|about_to_sleep": 2,
      "potential_loyalist|need_attention": 2,
      "about_to_sleep|hibernating": 4,
      "about_to_sleep|potential_loyalist": 1,
      "promising|potential_loyalist": 1,
      "promising|about_to_sleep": 1,
      "none|potential_loyalist": 2,
      "none|new": 1,
      "none|promising": 1,
    };
    const rows = await warehouse.rows("select * from rfm_migration");
    const got = Object.fromEntries(
      rows.map((row) => [`${row.from_segment}|${row.to_segment}`, row.customers]),
    );
    expect(got).toEqual(want);
  });
});
