/**
 * Predictive CLV through the whole product on CDNOW's 2,357-customer sample: the event log in
 * the raw data contract, `huitou build --as-of 1997-09-30 --var clv_time_unit=weeks`, and the
 * clv_model and customer_value marts it writes. The published estimates (Fader, Hardie & Lee
 * 2005; Fader & Hardie 2013) pin the fits; per-buyer predictions are checked against the
 * analytics module applied buyer by buyer to a summary the test makes itself from the log, and
 * against formulas worked out here.
 */
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conditionalExpectedPurchases, predictCustomer } from "../../src/analytics/index.ts";
import type { Row } from "../../src/engine/adapters/adapter.ts";
import { cdnowEvents, dayNumber, summarise } from "../analytics/datasets.ts";
import { buildWarehouse, type Warehouse } from "../marts/shopSmall.ts";
import { type CliBuild, cliBuild } from "./cdnowProject.ts";
import { writeCdnowRawData } from "./rawData.ts";

const AS_OF = "1997-09-30";
let raw: string;
let weeks: CliBuild;
let days: Warehouse;

beforeAll(async () => {
  raw = await writeCdnowRawData();
  weeks = await cliBuild(raw, ["--as-of", AS_OF, "--var", "clv_time_unit=weeks"]);
  days = await buildWarehouse(raw, AS_OF, { clv_time_unit: "days" }, { select: "+customer_value" });
});
afterAll(async () => {
  await weeks?.close();
  await days?.close();
  if (raw) await rm(raw, { recursive: true, force: true });
});

/** clv_model as `{ "bgnbd.r": row, ... }`. */
async function fits(rows: Promise<Row[]>): Promise<Record<string, Row>> {
  return Object.fromEntries((await rows).map((row) => [`${row.model}.${row.parameter}`, row]));
}

const value = (rows: Record<string, Row>, key: string) => rows[key]?.value as number;

/** The fitted parameters in a clv_model. */
function parameters(model: Record<string, Row>) {
  const bg = (name: string) => value(model, `bgnbd.${name}`);
  const gg = (name: string) => value(model, `gamma_gamma.${name}`);
  return {
    bgnbd: { r: bg("r"), alpha: bg("alpha"), a: bg("a"), b: bg("b") },
    gammaGamma: { p: gg("p"), q: gg("q"), v: gg("v") },
  };
}

describe("huitou build on CDNOW (weeks)", () => {
  it("builds, every data test passing, the CLV marts' own included", () => {
    expect(weeks.stderr).not.toMatch(/error\[/);
    expect(weeks.code).toBe(0);
    // One log line per node: e.g. `pass   test   unique_customer_value_customer_id  ...`.
    const tests = weeks.stdout
      .split("\n")
      .filter((line) => /^\S+\s+test\s+\S*(clv_model|customer_value|clv_backtest)/.test(line));
    expect(tests.length).toBeGreaterThanOrEqual(20);
    expect(tests.filter((line) => !line.startsWith("pass"))).toEqual([]);
  });

  it("reproduces the published BG/NBD and Gamma-Gamma estimates in clv_model", async () => {
    const model = await fits(weeks.rows("select * from clv_model"));
    expect(Object.keys(model)).toEqual([
      "bgnbd.r",
      "bgnbd.alpha",
      "bgnbd.a",
      "bgnbd.b",
      "gamma_gamma.p",
      "gamma_gamma.q",
      "gamma_gamma.v",
    ]);
    // FHL (2005): r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.43 over 2,357 buyers.
    expect(["r", "alpha", "a", "b"].map((name) => value(model, `bgnbd.${name}`).toFixed(3))).toEqual([
      "0.243",
      "4.414",
      "0.793",
      "2.426",
    ]);
    expect(Math.abs((model["bgnbd.r"]?.log_likelihood as number) - -9582.43)).toBeLessThan(1e-3);
    // Fader & Hardie (2013): p = 6.25, q = 3.74, v = 15.44 on the 946 repeat buyers, LL -4055.92.
    expect(["p", "q", "v"].map((name) => value(model, `gamma_gamma.${name}`).toFixed(2))).toEqual([
      "6.25",
      "3.74",
      "15.44",
    ]);
    expect(Math.abs((model["gamma_gamma.p"]?.log_likelihood as number) - -4055.92)).toBeLessThan(5e-3);
    for (const row of Object.values(model)) {
      expect(row).toMatchObject({
        customers: row.model === "bgnbd" ? 2357 : 946,
        converged: true,
        eligible: true,
        note: null,
        fitted_at_as_of: AS_OF,
        time_unit: "weeks",
      });
      expect(row.std_error).toBeGreaterThan(0);
    }
  });

  it("values customer 1, (x, t_x, T) = (2, 30.43, 38.86), as the formulas do", async () => {
    const model = await fits(weeks.rows("select * from clv_model"));
    const { bgnbd, gammaGamma } = parameters(model);
    const { r, alpha, a, b } = bgnbd;
    const { p, q, v } = gammaGamma;
    const [buyer] = await weeks.rows("select * from customer_value where customer_id = '1'");
    // Purchase days 1997-01-01, 01-18 (29.73) and 08-02 (14.96): x = 2, t_x = 213 days = 30.43
    // weeks, T = 272 days = 38.86 weeks, m = (29.73 + 14.96) / 2 = 22.345; revenue 74.02.
    expect(buyer).toMatchObject({
      frequency: 2,
      monetary_value: 22.345,
      gg_excluded: false,
      avg_days_between_purchases: 106.5,
      // 1997-08-02 + round(106.5) = 107 days.
      expected_next_purchase_date: "1997-11-17",
      historical_revenue: 74.02,
    });
    expect(buyer?.recency).toBeCloseTo(213 / 7, 12);
    expect(buyer?.T).toBeCloseTo(272 / 7, 12);
    const [x, tx, T] = [2, 213 / 7, 272 / 7];
    // P(alive) = 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)); about 0.7266 at the
    // published values: 0.793/3.426 = 0.2315, (43.27/34.84)^2.243 = 1.626, 1/(1 + 0.3763).
    const pAlive = 1 / (1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x));
    expect(buyer?.p_alive as number).toBeCloseTo(pAlive, 12);
    expect(buyer?.churn_probability as number).toBeCloseTo(1 - pAlive, 12);
    // FHL's worked example: over the next 39 weeks this customer makes 1.226 purchases.
    expect(
      conditionalExpectedPurchases({ r, alpha, a, b }, { frequency: x, recency: tx, T }, 39).toFixed(3),
    ).toBe("1.226");
    const expected = (weeksAhead: number) =>
      conditionalExpectedPurchases({ r, alpha, a, b }, { frequency: x, recency: tx, T }, weeksAhead);
    expect(buyer?.expected_purchases_90d as number).toBeCloseTo(expected(90 / 7), 12);
    expect(buyer?.expected_purchases_365d as number).toBeCloseTo(expected(365 / 7), 12);
    // Gamma-Gamma posterior mean p (v + x m) / (p x + q - 1): at the published values
    // 6.25 × (15.44 + 44.69) / (12.5 + 2.74) = 375.8 / 15.24 = 24.66.
    const spend = (p * (v + x * 22.345)) / (p * x + q - 1);
    expect(buyer?.expected_avg_revenue as number).toBeCloseTo(spend, 10);
    expect(buyer?.predicted_revenue_365d as number).toBeCloseTo(expected(365 / 7) * spend, 10);
    // Twelve monthly slices, margin 40% (CDNOW has no item costs: default_margin_rate), 10% a year.
    let clv = 0;
    for (let i = 1; i <= 12; i++) {
      const slice = expected((i * 365) / 12 / 7) - expected(((i - 1) * 365) / 12 / 7);
      clv += (slice * spend * 0.4) / 1.1 ** (i / 12);
    }
    expect(buyer?.predicted_clv_365d as number).toBeCloseTo(clv, 10);
  });

  it("gives every buyer what the analytics module gives them one by one", async () => {
    const model = await fits(weeks.rows("select * from clv_model"));
    const { bgnbd: bg, gammaGamma: gg } = parameters(model);
    const rows = new Map(
      (await weeks.rows("select * from customer_value")).map((row) => [row.customer_id, row]),
    );
    const summary = summarise(cdnowEvents(), dayNumber(AS_OF));
    expect(rows.size).toBe(2357);
    expect(summary.ids.length).toBe(2357);
    const close = (got: unknown, want: number | null) =>
      want === null ? got === null : Math.abs((got as number) - want) <= 1e-12 * Math.max(1, Math.abs(want));
    const wrong: string[] = [];
    summary.ids.forEach((id, i) => {
      const frequency = summary.frequency[i]!;
      const monetaryValue = summary.monetaryValue[i]!;
      const want = predictCustomer(
        bg,
        gg,
        { frequency, recency: summary.recency[i]! / 7, T: summary.T[i]! / 7, monetaryValue, marginRate: 0.4 },
        { daysPerUnit: 7, annualDiscountRate: 0.1 },
      );
      const got = rows.get(id);
      const same =
        got !== undefined &&
        got.frequency === frequency &&
        close(got.monetary_value, monetaryValue) &&
        close(got.p_alive, want.pAlive) &&
        close(got.churn_probability, want.churnProbability) &&
        close(got.expected_purchases_90d, want.expectedPurchases90d) &&
        close(got.expected_purchases_365d, want.expectedPurchases365d) &&
        close(got.expected_avg_revenue, want.expectedAvgRevenue) &&
        got.gg_excluded === want.ggExcluded &&
        close(got.predicted_revenue_365d, want.predictedRevenue365d) &&
        close(got.predicted_clv_365d, want.predictedClv365d);
      if (!same) wrong.push(id);
    });
    expect(wrong).toEqual([]);
  });
});

describe("days and weeks", () => {
  it("fit the same models: alpha in days is 7 times alpha in weeks", async () => {
    const inDays = await fits(days.rows("select * from clv_model"));
    const inWeeks = await fits(weeks.rows("select * from clv_model"));
    expect(inDays["bgnbd.r"]?.time_unit).toBe("days");
    expect(value(inDays, "bgnbd.alpha") / 7).toBeCloseTo(value(inWeeks, "bgnbd.alpha"), 6);
    // Purchase-time densities scale by 7 per repeat purchase: LL_days = LL_weeks - 2457 ln 7
    // (2,457 repeat purchases) = -9582.43 - 4781.12.
    expect(
      (inDays["bgnbd.r"]?.log_likelihood as number) - (inWeeks["bgnbd.r"]?.log_likelihood as number),
    ).toBeCloseTo(-2457 * Math.log(7), 6);
  });

  it("predict the same to 1e-9 for every buyer", async () => {
    const query = "select * from customer_value order by customer_id";
    const [inDays, inWeeks] = [await days.rows(query), await weeks.rows(query)];
    expect(inDays.length).toBe(2357);
    const columns = [
      "p_alive",
      "churn_probability",
      "expected_purchases_90d",
      "expected_purchases_365d",
      "expected_avg_revenue",
      "predicted_revenue_365d",
      "predicted_clv_365d",
    ];
    let largest = 0;
    inDays.forEach((row, i) => {
      const other = inWeeks[i]!;
      expect(row.customer_id).toBe(other.customer_id);
      expect(row.recency as number).toBeCloseTo((other.recency as number) * 7, 9);
      for (const column of columns) {
        if (row[column] === null || other[column] === null) {
          expect([column, row[column]]).toEqual([column, other[column]]);
          continue;
        }
        const [a, b] = [row[column] as number, other[column] as number];
        largest = Math.max(largest, Math.abs(a - b) / Math.max(1, Math.abs(b)));
      }
    });
    expect(largest).toBeLessThan(1e-9);
  });
});
