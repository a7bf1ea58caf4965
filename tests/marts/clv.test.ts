/**
 * clv_by_channel and the BTYD inputs (int_clv_summary, int_clv_calibration) on shop-small.
 * Expectations worked out by hand from tests/fixtures/shop-small/README.md (purchases with
 * net revenue and margin, marketing spend); the working is in the comments.
 */
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildShopSmall, byKey, type Warehouse } from "./shopSmall.ts";

/** The data tests of clv_by_channel and the BTYD inputs, by name (not the CLV fit's marts). */
const DATA_TESTS = "*clv_by_channel* *int_clv_inputs* *int_clv_summary* *int_clv_calibration*";

/** clv_by_channel and the BTYD inputs, which no mart reads (the CLV fit does). */
const SELECT = "+clv_by_channel +int_clv_summary +int_clv_calibration";

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

async function channels(db: Warehouse) {
  const rows = await db.rows("select * from clv_by_channel");
  return byKey(rows, "acquisition_channel");
}

describe("clv_by_channel at as_of 2025-03-15", () => {
  // Window: the 12 complete months 2024-03 .. 2025-02. Channels of the buyers: wechat c01 c02 c06
  // c13 c15 c18 c26; tmall c03 c05 c08 c10 c16 c25 c28; douyin c04 c07 c11 c17 c24 c27; store c09
  // c14; referral c12 c29; none c19 x99.
  it("measures margin per purchase and purchases per buyer over the window", async () => {
    const rows = await channels(warehouse);
    // [buyers, window purchases, window margin, buyers with a window purchase]
    const expected: Record<string, [number, number, number, number]> = {
      // c01 o017 60 o028 110 o043 60 o046 110 o053 60 o061 110; c02 o057 60; c13 60; c15 50 + 20;
      // c18 110 + 50; c26 o056 50 (c06 bought only in February)
      wechat: [7, 13, 910, 6],
      // c05 o015 110; c10 o016 60 o045 110; c08 o030 180 o036 60 o054 50 o060 60; c16 130; c25 140
      tmall: [7, 9, 900, 5],
      // c04 50 50 60; c07 60 60; c11 24; c17 50 60 180; c24 60 150 (c27 only in March 2025)
      douyin: [6, 11, 804, 5],
      // c09 90 50; c14 180 60 50
      store: [2, 5, 430, 2],
      // c12 60 50 50; c29 60
      referral: [2, 4, 220, 2],
      // c19 60; x99 48 40
      null: [2, 3, 148, 2],
      // every purchase of 2024-03 .. 2025-02: 45 purchases, 3412 margin, 22 buyers
      all: [26, 45, 3412, 22],
    };
    expect(Object.keys(rows).sort()).toEqual(Object.keys(expected).sort());
    for (const [channel, [buyers, purchases, margin, active]] of Object.entries(expected)) {
      const row = rows[channel]!;
      expect(row.buyers).toBe(buyers);
      expect(row.is_all).toBe(channel === "all");
      expect(row.avg_margin_per_purchase).toBeCloseTo(margin / purchases, 9);
      expect(row.annual_purchase_frequency).toBeCloseTo(purchases / active, 12);
    }
  });

  it("leaves the churn-based lifetime null: only 7 churn months (2024-08 .. 2025-02) fall in the window", async () => {
    const rows = await warehouse.rows("select * from clv_by_channel");
    for (const row of rows) {
      expect([row.monthly_churn_rate, row.expected_lifetime_years, row.ltv, row.ltv_to_cac]).toEqual([
        null,
        null,
        null,
        null,
      ]);
    }
  });

  it("measures what a new buyer returned in a year over the cohorts whose month 11 is complete", async () => {
    // Cohorts 2024-01 .. 2024-03 (month 11 <= 2025-02). Margin in months 0..11 per buyer:
    // wechat c01 460 (60+60+110+60+110+60), c02 50, c06 65 = 575 / 3
    // tmall c03 180, c05 220, c08 340 (50+180+60+50), c10 170 = 910 / 4
    // douyin c04 310 (210+50+50), c07 170 (50+60+60), c11 24 = 504 / 3
    // store c09 140; referral c12 160; no channel: no such cohort (null); all 2289 / 12
    const rows = await channels(warehouse);
    expect(rows.wechat?.realized_margin_12m_per_buyer).toBeCloseTo(575 / 3, 9);
    expect(rows.tmall?.realized_margin_12m_per_buyer).toBe(227.5);
    expect(rows.douyin?.realized_margin_12m_per_buyer).toBe(168);
    expect(rows.store?.realized_margin_12m_per_buyer).toBe(140);
    expect(rows.referral?.realized_margin_12m_per_buyer).toBe(160);
    expect(rows.null?.realized_margin_12m_per_buyer).toBeNull();
    expect(rows.all?.realized_margin_12m_per_buyer).toBe(190.75);
  });

  it("divides the window's spend by the new buyers of the months with spend", async () => {
    // wechat: 2024-06 200 + 2024-08 150 + 2025-01 250 (2024-01 is outside) = 600 / new c15 c18
    //   c26 = 200. tmall: 2024-09 300 + 2024-11 200 = 500 / new c25 (c19 of September has no
    //   channel) = 500. douyin: 2024-03 100 + 2024-07 200 + 2024-11 300 = 600 / c11 c17 c24 = 200.
    // all: 1700 / the 16 new buyers of 2024-03 .. 2025-02 = 106.25. store, referral, none: no spend.
    // payback_months = cac / (margin per purchase x purchases per buyer / 12) = cac / (margin /
    // buyers with a purchase / 12).
    const rows = await channels(warehouse);
    expect([rows.wechat?.cac, rows.tmall?.cac, rows.douyin?.cac, rows.all?.cac]).toEqual([
      200, 500, 200, 106.25,
    ]);
    expect([rows.store?.cac, rows.referral?.cac, rows.null?.cac]).toEqual([null, null, null]);
    expect(rows.wechat?.payback_months).toBeCloseTo(200 / (910 / 6 / 12), 9);
    expect(rows.tmall?.payback_months).toBeCloseTo(500 / (900 / 5 / 12), 9);
    expect(rows.douyin?.payback_months).toBeCloseTo(200 / (804 / 5 / 12), 9);
    expect(rows.all?.payback_months).toBeCloseTo(106.25 / (3412 / 22 / 12), 9);
    expect(rows.store?.payback_months).toBeNull();
  });
});

describe("clv_by_channel with churn_days 60 at as_of 2025-03-31", () => {
  it("turns the churn of the window's 12 months into a lifetime value", async () => {
    const sixty = await buildShopSmall("2025-03-31", { churn_days: "60" }, { select: SELECT });
    try {
      const rows = await channels(sixty);
      // Window 2024-04 .. 2025-03; churn per month (tests/marts/churn.test.ts): 4/10, 5/7, 1/4,
      // 2/9, 6/8, 1/4, 2/7, 3/6, 2/8, 4/7, 0/6, 3/8. Product of (1 - rate):
      // 3/5 x 2/7 x 3/4 x 7/9 x 1/4 x 3/4 x 5/7 x 1/2 x 3/4 x 3/7 x 1 x 5/8 = 135 / 100352.
      const monthly = 1 - (135 / 100352) ** (1 / 12);
      // Window purchases: 44 (o064 refunded on 03-20 is none now), margin 3388 (o066 now 150 - 90
      // = 60), 21 buyers with a purchase.
      const lifetime = 1 / (12 * monthly);
      const annualMargin = 3388 / 21;
      const all = rows.all!;
      expect(all.monthly_churn_rate).toBeCloseTo(monthly, 12);
      expect(all.expected_lifetime_years).toBeCloseTo(lifetime, 12);
      expect(all.ltv).toBeCloseTo(lifetime * annualMargin, 9);
      // Spend 2024-04 .. 2025-03: 600 per channel = 1800 / 13 new buyers (c27 is no buyer now).
      expect(all.cac).toBeCloseTo(1800 / 13, 9);
      expect(all.ltv_to_cac).toBeCloseTo((lifetime * annualMargin) / (1800 / 13), 9);
      // Cohorts 2024-01 .. 2024-04 complete month 11: 1000 + 795 + 494 + 60 = 2349 / 13 buyers.
      expect(all.realized_margin_12m_per_buyer).toBeCloseTo(2349 / 13, 9);
      // wechat: on 2024-06-01 only c13 was active and lapsed in June: (1 - 1) zeroes the product.
      expect(rows.wechat?.monthly_churn_rate).toBe(1);
      expect(rows.wechat?.expected_lifetime_years).toBeCloseTo(1 / 12, 12);
      // No channel (c19, x99): nobody active on 2024-04-01: null.
      expect(rows.null?.monthly_churn_rate).toBeNull();
    } finally {
      await sixty.close();
    }
  });
});

describe("clv_by_channel.predicted_clv_365d_avg", () => {
  it("is null when the CLV predictions are not published (shop-small's fit is not eligible)", async () => {
    // 26 buyers < clv_min_buyers 500 (and 18 repeat buyers < 100): clv_model.eligible is false,
    // so customer_value's predictions are null and so is every channel's mean.
    const eligible = await warehouse.rows("select distinct eligible from clv_model");
    expect(eligible).toEqual([{ eligible: false }]);
    const rows = await warehouse.rows(
      "select acquisition_channel, predicted_clv_365d_avg from clv_by_channel",
    );
    expect(rows).toHaveLength(7);
    for (const row of rows) expect(row.predicted_clv_365d_avg).toBeNull();
  });

  it("is the mean predicted_clv_365d of the channel's buyers when predictions exist", async () => {
    // shop-small cannot fit Gamma-Gamma even with the gate lowered (its 18 repeat buyers' spend
    // does not identify q), so customer_value is replaced here by a stub with chosen values:
    // c01 (wechat) 70, c02 (wechat) 14, c03 (tmall) 21, x99 (no channel) 8, everyone else 0.
    const stubbed = await buildShopSmall(
      undefined,
      {},
      {
        select: "+clv_by_channel",
        patch: async (dir) => {
          await rm(join(dir, "models/marts/clv/customer_value.ts"));
          await writeFile(
            join(dir, "models/marts/clv/customer_value.sql"),
            `select
    customer_id,
    case customer_id when 'c01' then 70 when 'c02' then 14 when 'c03' then 21 when 'x99' then 8 else 0 end
        as predicted_clv_365d,
from {{ ref('int_clv_summary') }}
`,
          );
        },
      },
    );
    try {
      const rows = byKey(await stubbed.rows("select * from clv_by_channel"), "acquisition_channel");
      // wechat's 7 buyers (c01 c02 c06 c13 c15 c18 c26): (70 + 14) / 7 = 12
      expect(rows.wechat?.predicted_clv_365d_avg).toBeCloseTo(12, 12);
      // tmall's 7 buyers (c03 c05 c08 c10 c16 c25 c28): 21 / 7 = 3
      expect(rows.tmall?.predicted_clv_365d_avg).toBeCloseTo(3, 12);
      // no channel: c19 and x99 (missing from customers): 8 / 2 = 4
      expect(rows.null?.predicted_clv_365d_avg).toBeCloseTo(4, 12);
      expect(rows.douyin?.predicted_clv_365d_avg).toBe(0);
      // all 26 buyers: (70 + 14 + 21 + 8) / 26 = 113 / 26
      expect(rows.all?.predicted_clv_365d_avg).toBeCloseTo(113 / 26, 12);
    } finally {
      await stubbed.close();
    }
  });
});

describe("the per-buyer CLV tables' money", () => {
  it("is stored as DECIMAL(18, 2) and (18, 4), the purchases' own types, not 38-digit sums", async () => {
    // Read back over every buyer each night (customer_value, the calibration test).
    const rows = await warehouse.rows(
      `select table_name, column_name, data_type from information_schema.columns
       where (table_name = 'customer_value' and column_name like 'historical_%')
           or (table_name = 'int_clv_calibration_buyers' and column_name = 'calibration_revenue')
       order by table_name, column_name`,
    );
    expect(rows).toEqual([
      { table_name: "customer_value", column_name: "historical_margin", data_type: "DECIMAL(18,4)" },
      { table_name: "customer_value", column_name: "historical_revenue", data_type: "DECIMAL(18,2)" },
      {
        table_name: "int_clv_calibration_buyers",
        column_name: "calibration_revenue",
        data_type: "DECIMAL(18,2)",
      },
    ]);
  });
});

describe("int_clv_summary", () => {
  it("merges same-day purchases and counts days for the BTYD fits", async () => {
    const rows = byKey(await warehouse.rows("select * from int_clv_summary"), "customer_id");
    expect(Object.keys(rows)).toHaveLength(26);
    // c01: 8 purchase days, 2024-01-05 .. 2025-03-15 = 366 + 31 + 28 + 10 = 435 days; repeat days'
    // revenue 1100 - 100 = 1000 over 7.
    expect(rows.c01).toMatchObject({
      frequency: 7,
      recency_days: 435,
      t_days: 435,
      historical_revenue: 1100,
      historical_margin: 630,
    });
    expect(rows.c01?.monetary_value).toBeCloseTo(1000 / 7, 9);
    // c03: o003 and o004 on 2024-01-20 are one transaction; 02-25 is the repeat (80). T = 366 + 31
    // + 23 = 420.
    expect(rows.c03).toMatchObject({ frequency: 1, recency_days: 36, t_days: 420, monetary_value: 80 });
    // c06: one purchase: frequency 0, monetary 0.
    expect(rows.c06).toMatchObject({ frequency: 0, recency_days: 0, monetary_value: 0, t_days: 395 });
    // c28: 03-10 and 03-12: recency 2, T 5; x99 (missing from customers) is a buyer like any other.
    expect(rows.c28).toMatchObject({ frequency: 1, recency_days: 2, t_days: 5, monetary_value: 80 });
    expect(rows.x99).toMatchObject({
      frequency: 1,
      recency_days: 159,
      historical_revenue: 220,
      historical_margin: 88,
    });
  });
});

describe("int_clv_calibration", () => {
  it("computes the inputs at as_of - 180 and the holdout's purchase days", async () => {
    // Calibration end 2025-03-15 - 180 = 2024-09-16: buyers c01..c19 and x99 (20).
    const rows = byKey(await warehouse.rows("select * from int_clv_calibration"), "customer_id");
    expect(Object.keys(rows)).toHaveLength(20);
    // c01 up to 09-16: 01-05, 03-10, 06-18: frequency 2, recency 26 + 29 + 31 + 30 + 31 + 18 = 165,
    // T 165 + 12 + 31 + 31 + 16 = 255, monetary (100 + 200) / 2; holdout days 09-20, 11-11, 12-12,
    // 02-14, 03-15 = 5.
    expect(rows.c01).toMatchObject({
      frequency: 2,
      recency_days: 165,
      t_days: 255,
      monetary_value: 150,
      calibration_end: "2024-09-16",
      holdout_days: 180,
      holdout_purchase_days: 5,
    });
    // c09's 09-15 is inside calibration: frequency 1, recency 197, T 198, nothing in the holdout.
    expect(rows.c09).toMatchObject({
      frequency: 1,
      recency_days: 197,
      t_days: 198,
      holdout_purchase_days: 0,
    });
    // Holdout purchase days: c01 5, c02 1, c04 1, c07 2, c08 2, c10 1, c14 1, c17 1, c18 1, x99 1.
    const [total] = await warehouse.rows(
      "select sum(holdout_purchase_days) as days from int_clv_calibration",
    );
    expect(total?.days).toBe(16);
  });

  it("sees the calibration data as it stood then", async () => {
    // as_of 2024-09-30: calibration end 2024-04-03. o021 (c10, 2024-04-01) was refunded only on
    // 04-05: a purchase at calibration, none at as_of.
    const past = await buildShopSmall("2024-09-30", {}, { select: SELECT });
    try {
      const [calibration] = await past.rows("select * from int_clv_calibration where customer_id = 'c10'");
      // 03-05 and 04-01: recency 27; T = 04-03 - 03-05 = 29; monetary 100.
      expect(calibration).toMatchObject({
        calibration_end: "2024-04-03",
        frequency: 1,
        recency_days: 27,
        t_days: 29,
        monetary_value: 100,
        holdout_purchase_days: 0,
      });
      const [summary] = await past.rows("select * from int_clv_summary where customer_id = 'c10'");
      expect(summary).toMatchObject({ frequency: 0, historical_revenue: 100 });
    } finally {
      await past.close();
    }
  });
});
