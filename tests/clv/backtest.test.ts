/**
 * clv_backtest on CDNOW with the literature's split: as_of 1998-06-30 and a 273-day holdout put
 * the calibration end at 1997-09-30, so the calibration fit is FHL's and the holdout is their 39
 * weeks. Expected values come from the event log, summarised and fitted by the test itself and
 * predicted buyer by buyer; the dataset's README gives the holdout total (1,882 purchase days).
 */
import { rm } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { conditionalExpectedPurchases, fitBgNbd } from "../../src/analytics/index.ts";
import type { Row } from "../../src/engine/adapters/adapter.ts";
import { cdnowEvents, dayNumber, summarise } from "../analytics/datasets.ts";
import { buildWarehouse } from "../marts/shopSmall.ts";
import { writeCdnowRawData } from "./rawData.ts";

const BUCKETS = ["0", "1", "2", "3", "4", "5", "6", "7+", "all"];
let weeks: Row[];
let days: Row[];
let dataTestFailures: string[];

beforeAll(async () => {
  const raw = await writeCdnowRawData();
  try {
    const build = async (unit: string) => {
      const warehouse = await buildWarehouse(
        raw,
        "1998-06-30",
        { clv_holdout_days: "273", clv_time_unit: unit },
        { select: "+clv_backtest", dataTests: "clv_backtest int_clv_calibration" },
      );
      try {
        return {
          rows: await warehouse.rows("select * from clv_backtest"),
          failures: warehouse.dataTestFailures,
        };
      } finally {
        await warehouse.close();
      }
    };
    const inWeeks = await build("weeks");
    weeks = inWeeks.rows;
    dataTestFailures = inWeeks.failures;
    days = (await build("days")).rows;
  } finally {
    await rm(raw, { recursive: true, force: true });
  }
});

/** What the mart should hold, from the log: [customers, predicted sum, actual sum] per bucket. */
function expectedBuckets(): Map<string, [number, number, number]> {
  const end = dayNumber("1997-09-30");
  const events = cdnowEvents();
  const calibration = summarise(events, end);
  // Distinct purchase days in (1997-09-30, 1998-06-30] per customer.
  const holdoutDays = new Map<string, Set<number>>();
  for (const { id, day } of events) {
    if (day <= end) continue;
    if (!holdoutDays.has(id)) holdoutDays.set(id, new Set());
    holdoutDays.get(id)?.add(day);
  }
  const weeksOf = (values: number[]) => values.map((value) => value / 7);
  const fit = fitBgNbd({
    frequency: calibration.frequency,
    recency: weeksOf(calibration.recency),
    T: weeksOf(calibration.T),
  });
  expect(fit.converged).toBe(true);
  const sums = new Map(BUCKETS.map((bucket) => [bucket, [0, 0, 0] as [number, number, number]]));
  calibration.ids.forEach((id, i) => {
    const x = calibration.frequency[i]!;
    // 273 days = 39 weeks of holdout.
    const predicted = conditionalExpectedPurchases(
      fit.params!,
      { frequency: x, recency: calibration.recency[i]! / 7, T: calibration.T[i]! / 7 },
      39,
    );
    for (const bucket of [x >= 7 ? "7+" : String(x), "all"]) {
      const sum = sums.get(bucket)!;
      sum[0] += 1;
      sum[1] += predicted;
      sum[2] += holdoutDays.get(id)?.size ?? 0;
    }
  });
  return sums;
}

describe("clv_backtest on CDNOW, calibration through 1997-09-30", () => {
  it("passes its data tests", () => {
    expect(dataTestFailures).toEqual([]);
  });

  it("has one row per bucket with the README's totals", () => {
    expect(weeks.map((row) => row.frequency_bucket)).toEqual(BUCKETS);
    const all = weeks.find((row) => row.frequency_bucket === "all")!;
    // README: 2,357 customers, 1,411 with x = 0; 1,882 repeat purchase days in the holdout.
    expect(all.customers).toBe(2357);
    expect(weeks[0]?.customers).toBe(1411);
    expect(Math.round((all.actual_mean as number) * 2357)).toBe(1882);
    expect(weeks.slice(0, 8).reduce((sum, row) => sum + (row.customers as number), 0)).toBe(2357);
    for (const row of weeks) expect([row.converged, row.note]).toEqual([true, null]);
  });

  it("predicts and counts what a buyer-by-buyer computation from the log gives", () => {
    const expected = expectedBuckets();
    for (const row of weeks) {
      const [customers, predicted, actual] = expected.get(row.frequency_bucket as string)!;
      expect(row.customers).toBe(customers);
      expect(row.actual_mean as number).toBeCloseTo(actual / customers, 12);
      // The two fits are separate runs of the optimiser: they agree far below the likelihood's flatness.
      expect(Math.abs((row.predicted_mean as number) / (predicted / customers) - 1)).toBeLessThan(1e-8);
    }
  });

  it("is the same in days", () => {
    weeks.forEach((row, i) => {
      const other = days[i]!;
      expect([other.frequency_bucket, other.customers, other.actual_mean]).toEqual([
        row.frequency_bucket,
        row.customers,
        row.actual_mean,
      ]);
      expect(Math.abs((other.predicted_mean as number) - (row.predicted_mean as number))).toBeLessThan(1e-9);
    });
  });
});
