/**
 * The publication gate and the edge cases of the CLV marts: CDNOW below raised thresholds, a
 * four-buyer shop where nothing can be fitted (one-time buyers, a zero-value repeat purchase,
 * same-day purchases), and a bad `clv_time_unit`. Predictions must then be null, with the
 * reason in clv_model's note, and every data test must still pass.
 */
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { quietEffects } from "../../src/engine/effects.ts";
import { runProject } from "../../src/engine/session.ts";
import { buildWarehouse } from "../marts/shopSmall.ts";
import { copyProject } from "./cdnowProject.ts";
import { type PaidOrder, writeCdnowRawData, writeRawData } from "./rawData.ts";

const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

const PREDICTIVE = [
  "p_alive",
  "churn_probability",
  "expected_purchases_90d",
  "expected_purchases_365d",
  "expected_avg_revenue",
  "predicted_revenue_365d",
  "predicted_clv_365d",
];
const CLV_TESTS = "clv_model customer_value clv_backtest";

describe("CDNOW below the thresholds", () => {
  it("fits, but publishes no prediction and says why", async () => {
    const raw = await writeCdnowRawData();
    made.push(raw);
    const warehouse = await buildWarehouse(
      raw,
      "1997-09-30",
      { clv_min_buyers: "5000", clv_min_repeat_buyers: "1000" },
      { select: "+customer_value", dataTests: "clv_model customer_value" },
    );
    try {
      expect(warehouse.dataTestFailures).toEqual([]);
      const model = await warehouse.rows(
        "select model, parameter, value, converged, eligible, note from clv_model",
      );
      expect(model).toHaveLength(7);
      for (const row of model) {
        // 2,357 buyers of whom 946 repeat (the README of the dataset).
        expect(row).toMatchObject({
          converged: true,
          eligible: false,
          note: "buyers 2357 < clv_min_buyers 5000; repeat buyers 946 < clv_min_repeat_buyers 1000",
        });
        expect(row.value).toBeGreaterThan(0);
      }
      const counts = PREDICTIVE.map((column) => `count(${column}) as ${column}`).join(", ");
      const [value] = await warehouse.rows(
        `select count(*) as buyers, ${counts}, count(*) filter (where gg_excluded) as excluded,
                count(avg_days_between_purchases) as with_gap
         from customer_value`,
      );
      // 1,411 one-time buyers are outside Gamma-Gamma; the 946 repeat buyers have a gap.
      expect(value).toEqual({
        buyers: 2357,
        ...Object.fromEntries(PREDICTIVE.map((column) => [column, 0])),
        excluded: 1411,
        with_gap: 946,
      });
    } finally {
      await warehouse.close();
    }
  });
});

describe("a shop of four buyers", () => {
  // As of 2024-03-31 (2024 is a leap year):
  // c1 one purchase 2024-01-05: x = 0, T = 26 + 29 + 31 = 86 days.
  // c2 two orders on 2024-02-10 (50 + 30), one transaction: x = 0, revenue 80, T = 50.
  // c3 2024-01-20 (80) and 2024-03-01 (0.00): x = 1, recency 11 + 29 + 1 = 41, T = 71, m = 0.
  // c4 one purchase 2024-03-15: x = 0, T = 16.
  const orders: PaidOrder[] = [
    ["o1", "c1", "2024-01-05 10:00:00", "100.00"],
    ["o2", "c2", "2024-02-10 09:00:00", "50.00"],
    ["o3", "c2", "2024-02-10 18:30:00", "30.00"],
    ["o4", "c3", "2024-01-20 12:00:00", "80.00"],
    ["o5", "c3", "2024-03-01 12:00:00", "0.00"],
    ["o6", "c4", "2024-03-15 08:00:00", "20.00"],
  ];

  it("leaves every prediction null, with each failed condition in the note", async () => {
    const raw = await writeRawData(orders);
    made.push(raw);
    const warehouse = await buildWarehouse(
      raw,
      "2024-03-31",
      {},
      { select: "+customer_value +clv_backtest", dataTests: CLV_TESTS },
    );
    try {
      expect(warehouse.dataTestFailures).toEqual([]);
      const model = await warehouse.rows("select * from clv_model");
      expect(model).toHaveLength(7);
      const note = model[0]?.note as string;
      expect(
        note.startsWith("buyers 4 < clv_min_buyers 500; repeat buyers 1 < clv_min_repeat_buyers 100; "),
      ).toBe(true);
      // c3's repeat purchase is worth 0: no buyer is left for Gamma-Gamma.
      expect(note).toContain(
        "the Gamma-Gamma fit did not converge: no repeat buyer with positive spend: the Gamma-Gamma model needs repeat buyers",
      );
      for (const row of model) {
        expect(row.eligible).toBe(false);
        expect(row.note).toBe(note);
        expect(row.customers).toBe(row.model === "bgnbd" ? 4 : 0);
        if (row.model === "gamma_gamma") {
          expect([row.value, row.std_error, row.log_likelihood, row.converged]).toEqual([
            null,
            null,
            null,
            false,
          ]);
        }
      }
      const buyers = await warehouse.rows(
        `select customer_id, frequency, recency, "T", monetary_value, gg_excluded, avg_days_between_purchases,
                expected_next_purchase_date, historical_revenue, ${PREDICTIVE.join(", ")}
         from customer_value order by customer_id`,
      );
      const none = Object.fromEntries(PREDICTIVE.map((column) => [column, null]));
      const buyer = (id: string, x: number, recency: number, T: number, revenue: number) => ({
        customer_id: id,
        frequency: x,
        recency,
        T,
        monetary_value: 0,
        gg_excluded: true,
        avg_days_between_purchases: x > 0 ? recency / x : null,
        // c3: 2024-03-01 + 41 days.
        expected_next_purchase_date: x > 0 ? "2024-04-11" : null,
        historical_revenue: revenue,
        ...none,
      });
      expect(buyers).toEqual([
        buyer("c1", 0, 0, 86, 100),
        buyer("c2", 0, 0, 50, 80),
        buyer("c3", 1, 41, 71, 80),
        buyer("c4", 0, 0, 16, 20),
      ]);
      // The calibration end 2024-03-31 - 180 days precedes every purchase: nobody to backtest.
      const backtest = await warehouse.rows("select * from clv_backtest");
      expect(backtest.map((row) => row.frequency_bucket)).toEqual([
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7+",
        "all",
      ]);
      for (const row of backtest) {
        expect(row).toEqual({
          frequency_bucket: row.frequency_bucket,
          customers: 0,
          predicted_mean: null,
          actual_mean: null,
          converged: false,
          note: "no customers to fit",
        });
      }
    } finally {
      await warehouse.close();
    }
  });

  it("cannot fit BG/NBD when nobody bought twice, and says so", async () => {
    // c2's two orders fall on one day: one transaction. Nobody has a repeat purchase.
    const raw = await writeRawData(orders.filter(([id]) => id !== "o5"));
    made.push(raw);
    const warehouse = await buildWarehouse(raw, "2024-03-31", {}, { select: "+customer_value" });
    try {
      const model = await warehouse.rows("select model, value, converged, customers, note from clv_model");
      expect(model[0]?.note).toBe(
        [
          "buyers 4 < clv_min_buyers 500",
          "repeat buyers 0 < clv_min_repeat_buyers 100",
          "the BG/NBD fit did not converge: no customer has a repeat purchase: BG/NBD cannot tell purchase rates from dropout without repeat buyers",
          "the Gamma-Gamma fit did not converge: no repeat buyer with positive spend: the Gamma-Gamma model needs repeat buyers",
        ].join("; "),
      );
      for (const row of model) {
        expect([row.value, row.converged, row.customers]).toEqual([
          null,
          false,
          row.model === "bgnbd" ? 4 : 0,
        ]);
      }
      const [counts] = await warehouse.rows(
        "select count(*) as buyers, count(p_alive) as p_alive from customer_value",
      );
      expect(counts).toEqual({ buyers: 4, p_alive: 0 });
    } finally {
      await warehouse.close();
    }
  });

  it("reports a clv_time_unit it does not know in clv_model.ts", async () => {
    const raw = await writeRawData(orders);
    const dir = await copyProject();
    made.push(raw, dir);
    const outcome = await runProject(
      {
        projectDir: dir,
        invocation: "run",
        steps: { sources: true, seeds: true, models: true, tests: false },
        dataDir: raw,
        vars: { as_of: "2024-03-31", clv_time_unit: "months" },
        select: "+clv_model",
        threads: 2,
      },
      quietEffects(),
    );
    expect(outcome.published).toBe(false);
    const [error] = outcome.failures;
    const source = (await readFile(join(dir, "models/marts/clv/clv_model.ts"), "utf8")).split("\n");
    const line = source.findIndex((text) => text.includes("throw new Error(`clv_time_unit must be")) + 1;
    expect(line).toBeGreaterThan(0);
    expect({
      name: error?.name,
      file: error?.location?.file,
      line: error?.location?.line,
      column: error?.location?.column,
      message: error?.message,
    }).toEqual({
      name: "ts-model",
      file: "models/marts/clv/clv_model.ts",
      line,
      column: (source[line - 1]?.indexOf("new Error") ?? -1) + 1,
      message:
        "build() failed: clv_time_unit must be days or weeks, not 'months': pass --var clv_time_unit=weeks",
    });
  });
});
