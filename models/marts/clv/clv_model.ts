/**
 * clv_model: the BG/NBD and Gamma-Gamma fits behind customer_value, one row per parameter
 * (metrics.md, clv_model), with the publication gate. BG/NBD is fitted on the weighted distinct
 * (frequency, recency, T) triples of all buyers, Gamma-Gamma on the weighted distinct
 * (frequency, monetary_value) pairs of the buyers with frequency > 0 and monetary_value > 0,
 * in the unit of `clv_time_unit`.
 */
import type { ModelContext, TsModel } from "../../../src/engine/tsModel.ts";

/** Days in one unit of `clv_time_unit`: the fits see every day count divided by it. */
const DAYS_PER_UNIT: Record<string, number> = { days: 1, weeks: 7 };

type Analytics = ModelContext["analytics"];
type Fits = { bgnbd: ReturnType<Analytics["fitBgNbd"]>; gamma_gamma: ReturnType<Analytics["fitGammaGamma"]> };

const model: TsModel = {
  refs: ["int_clv_summary", "int_as_of"],
  description:
    "One row per fitted parameter of the BG/NBD and Gamma-Gamma CLV models, with the publication gate.",
  async build(ctx) {
    const { analytics } = ctx;
    const unit = String(ctx.var("clv_time_unit"));
    const daysPerUnit = DAYS_PER_UNIT[unit];
    if (daysPerUnit === undefined) {
      throw new Error(`clv_time_unit must be days or weeks, not '${unit}': pass --var clv_time_unit=weeks`);
    }
    const buyers = ctx.ref("int_clv_summary");
    const triples = await ctx.readNumbers<"frequency" | "recency_days" | "t_days" | "customers">(
      // Ordered: the fit sums floating-point terms in this order, so the same buyers give the
      // same digits however the table happens to be stored (an incremental build appends).
      // INTEGER, not DuckDB's BIGINT: the adapter passes 64-bit integers through strings, which
      // doubled the time to read these million rows.
      `select
           cast(frequency as integer) as frequency,
           cast(recency_days as integer) as recency_days,
           cast(t_days as integer) as t_days,
           cast(count(*) as integer) as customers,
       from ${buyers}
       group by all
       order by all`,
    );
    // Monetary value is money: the fit divides it by its mean, and no time unit applies.
    const spend = await ctx.readNumbers<"frequency" | "monetary_value" | "customers">(
      `select
           cast(frequency as integer) as frequency,
           cast(monetary_value as double) as monetary_value,
           cast(count(*) as integer) as customers,
       from ${buyers}
       where frequency > 0 and monetary_value > 0
       group by all
       order by all`,
    );
    const fits: Fits = {
      bgnbd: analytics.fitBgNbd({
        frequency: triples.frequency,
        recency: triples.recency_days.map((days) => days / daysPerUnit),
        T: triples.t_days.map((days) => days / daysPerUnit),
        weight: triples.customers,
      }),
      gamma_gamma: analytics.fitGammaGamma({
        frequency: spend.frequency,
        monetaryValue: spend.monetary_value,
        weight: spend.customers,
      }),
    };
    const note = closedGate(ctx, triples, fits);

    const rows = [
      ...analytics.BGNBD_PARAMS.map((parameter) => ({ model: "bgnbd" as const, parameter })),
      ...analytics.GAMMA_GAMMA_PARAMS.map((parameter) => ({ model: "gamma_gamma" as const, parameter })),
    ].map(({ model, parameter }) => {
      const fit = fits[model];
      return {
        model,
        parameter,
        value: (fit.params as Record<string, number> | null)?.[parameter] ?? null,
        stdError: (fit.stdErrors as Record<string, number> | null)?.[parameter] ?? null,
        // NaN (no fit) would read as a number in SQL: null says "none".
        logLikelihood: Number.isFinite(fit.logLikelihood) ? fit.logLikelihood : null,
        customers: fit.customers,
        converged: fit.converged,
      };
    });
    const fitted = await ctx.writeTemporary("clv_model_fits", [
      { name: "ordinal", type: "INTEGER", values: rows.map((_, i) => i) },
      { name: "model", type: "VARCHAR", values: rows.map((row) => row.model) },
      { name: "parameter", type: "VARCHAR", values: rows.map((row) => row.parameter) },
      { name: "value", type: "DOUBLE", values: rows.map((row) => row.value) },
      { name: "std_error", type: "DOUBLE", values: rows.map((row) => row.stdError) },
      { name: "log_likelihood", type: "DOUBLE", values: rows.map((row) => row.logLikelihood) },
      { name: "customers", type: "INTEGER", values: rows.map((row) => row.customers) },
      { name: "converged", type: "BOOLEAN", values: rows.map((row) => row.converged) },
    ]);
    await ctx.adapter.execute(
      `create or replace table ${ctx.this} as
       select
           fitted.model,
           fitted.parameter,
           fitted.value,
           fitted.std_error,
           fitted.log_likelihood,
           fitted.customers,
           fitted.converged,
           cast($note as varchar) is null as eligible,
           cast($note as varchar) as note,
           as_of.as_of as fitted_at_as_of,
           $unit as time_unit,
       from ${fitted} as fitted
       cross join ${ctx.ref("int_as_of")} as as_of
       order by fitted.ordinal`,
      { note, unit },
    );
  },
};

export default model;

/** Why predictions are not published (every failed condition), or null when they are. */
function closedGate(
  ctx: ModelContext,
  triples: { frequency: Float64Array; customers: Float64Array },
  fits: Fits,
): string | null {
  const minBuyers = wholeNumber(ctx, "clv_min_buyers");
  const minRepeatBuyers = wholeNumber(ctx, "clv_min_repeat_buyers");
  let buyers = 0;
  let repeatBuyers = 0;
  triples.customers.forEach((customers, i) => {
    buyers += customers;
    if (triples.frequency[i]! > 0) repeatBuyers += customers;
  });
  const reasons: string[] = [];
  if (buyers < minBuyers) reasons.push(`buyers ${buyers} < clv_min_buyers ${minBuyers}`);
  if (repeatBuyers < minRepeatBuyers) {
    reasons.push(`repeat buyers ${repeatBuyers} < clv_min_repeat_buyers ${minRepeatBuyers}`);
  }
  if (!fits.bgnbd.converged) reasons.push(`the BG/NBD fit did not converge: ${fits.bgnbd.note}`);
  if (!fits.gamma_gamma.converged) {
    reasons.push(`the Gamma-Gamma fit did not converge: ${fits.gamma_gamma.note}`);
  }
  return reasons.length === 0 ? null : reasons.join("; ");
}

/** A variable that must be a whole number >= 0 (a count of buyers). */
function wholeNumber(ctx: ModelContext, name: string): number {
  const value = ctx.var(name);
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number >= 0, not ${JSON.stringify(value)}`);
  }
  return value;
}
