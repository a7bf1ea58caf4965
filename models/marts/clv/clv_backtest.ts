/**
 * clv_backtest: BG/NBD refitted on the data up to the calibration end (as_of -
 * clv_holdout_days), its conditional expected purchases over the holdout against the distinct
 * purchase days the buyers actually made in it, by calibration frequency (metrics.md,
 * clv_backtest). Gamma-Gamma is not refitted: no column of the mart depends on spend.
 */
import type { TsModel } from "../../../src/engine/tsModel.ts";

/** Days in one unit of `clv_time_unit` (predictions do not depend on it; the fit's alpha does). */
const DAYS_PER_UNIT: Record<string, number> = { days: 1, weeks: 7 };

/** Calibration frequencies 0..6 each, then 7 and more together. */
const BUCKETS = ["0", "1", "2", "3", "4", "5", "6", "7+"];
const bucketOf = (frequency: number) => Math.min(frequency, 7);

const model: TsModel = {
  refs: ["int_clv_calibration"],
  description:
    "One row per calibration frequency bucket: predicted and actual mean purchases in the holdout.",
  async build(ctx) {
    const { analytics } = ctx;
    const unit = String(ctx.var("clv_time_unit"));
    const daysPerUnit = DAYS_PER_UNIT[unit];
    if (daysPerUnit === undefined) {
      throw new Error(`clv_time_unit must be days or weeks, not '${unit}': pass --var clv_time_unit=weeks`);
    }
    const calibration = await ctx.readNumbers<
      "frequency" | "recency_days" | "t_days" | "customers" | "holdout_purchase_days" | "holdout_days"
    >(
      // INTEGER, not DuckDB's BIGINT and HUGEINT: the adapter passes 64- and 128-bit integers
      // through strings, which doubled the time to read these hundreds of thousands of rows.
      `select
           cast(frequency as integer) as frequency,
           cast(recency_days as integer) as recency_days,
           cast(t_days as integer) as t_days,
           cast(count(*) as integer) as customers,
           cast(sum(holdout_purchase_days) as integer) as holdout_purchase_days,
           cast(max(holdout_days) as integer) as holdout_days,
       from ${ctx.ref("int_clv_calibration")}
       group by frequency, recency_days, t_days
       order by frequency, recency_days, t_days`,
    );
    const { frequency, customers } = calibration;
    const [recency, T, holdout] = [
      calibration.recency_days,
      calibration.t_days,
      calibration.holdout_days,
    ].map((days) => days.map((value) => value / daysPerUnit)) as [Float64Array, Float64Array, Float64Array];
    const fit = analytics.fitBgNbd({ frequency, recency, T, weight: customers });

    // Sums per bucket; index 8 is `all`.
    const count = new Float64Array(BUCKETS.length + 1);
    const predicted = new Float64Array(BUCKETS.length + 1);
    const actual = new Float64Array(BUCKETS.length + 1);
    // The hypergeometric part once per (x, T, holdout): the same digits, a fraction of the time.
    const expectedPurchases = fit.params ? analytics.conditionalExpectedPurchasesOf(fit.params) : null;
    frequency.forEach((x, i) => {
      const buyer = { frequency: x, recency: recency[i]!, T: T[i]! };
      const expected =
        fit.converged && expectedPurchases ? expectedPurchases(buyer, holdout[i]!) : Number.NaN;
      for (const bucket of [bucketOf(x), BUCKETS.length]) {
        count[bucket]! += customers[i]!;
        predicted[bucket]! += customers[i]! * expected;
        actual[bucket]! += calibration.holdout_purchase_days[i]!;
      }
    });
    const mean = (sums: Float64Array, bucket: number) =>
      count[bucket]! > 0 && Number.isFinite(sums[bucket]!) ? sums[bucket]! / count[bucket]! : null;
    const rows = [...BUCKETS, "all"].map((label, bucket) => ({
      label,
      customers: count[bucket]!,
      predicted: mean(predicted, bucket),
      actual: mean(actual, bucket),
    }));
    await ctx.writeTable([
      { name: "frequency_bucket", type: "VARCHAR", values: rows.map((row) => row.label) },
      { name: "customers", type: "INTEGER", values: rows.map((row) => row.customers) },
      { name: "predicted_mean", type: "DOUBLE", values: rows.map((row) => row.predicted) },
      { name: "actual_mean", type: "DOUBLE", values: rows.map((row) => row.actual) },
      { name: "converged", type: "BOOLEAN", values: rows.map(() => fit.converged) },
      { name: "note", type: "VARCHAR", values: rows.map(() => (fit.converged ? null : fit.note)) },
    ]);
  },
};

export default model;
