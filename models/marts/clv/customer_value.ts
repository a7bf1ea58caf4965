/**
 * customer_value: one row per buyer with the predictive CLV of metrics.md (customer_value) from
 * the fits in clv_model. Every buyer's T and P(alive) move with as_of, so the whole table is
 * valued again each night; the work done per buyer is SQL only. BG/NBD's outlook is
 * P(alive | x, t_x, T) × M(x, T, t), where the costly hypergeometric part M does not depend on
 * t_x: JavaScript evaluates it once per distinct (x, T) pair (some ten thousand of them for
 * millions of buyers), and SQL computes each buyer's P(alive) in closed form and scales. The
 * Gamma-Gamma posterior mean is closed-form arithmetic, evaluated in SQL in the order
 * analytics' expectedAverageSpend uses, so its digits are the same.
 */
import type { ModelContext, TsModel } from "../../../src/engine/tsModel.ts";

type Analytics = ModelContext["analytics"];
type BgNbd = Parameters<Analytics["purchaseOutlook"]>[0];
type GammaGamma = Parameters<Analytics["expectedAverageSpend"]>[0];

const model: TsModel = {
  refs: ["clv_model", "int_clv_summary"],
  description:
    "One row per buyer: BTYD inputs, P(alive), expected purchases, expected spend and the 365-day CLV.",
  async build(ctx) {
    const annualDiscountRate = rate(ctx, "annual_discount_rate", Number.POSITIVE_INFINITY);
    const defaultMarginRate = rate(ctx, "default_margin_rate", 1);
    const fit = await readFit(ctx);
    const buyers = ctx.ref("int_clv_summary");
    const outlooks = await writeOutlooks(ctx, buyers, fit, annualDiscountRate);
    // Published parameters only: with the gate closed every prediction below is null.
    const published = (value: number) => (fit.eligible ? value : null);
    await ctx.adapter.execute(
      `create or replace table ${ctx.this} as
       with

       buyers as (
           select * from ${buyers}
       ),

       outlooks as (
           select * from ${outlooks}
       ),

       -- T and t_x in the unit of the fit, as analytics' deadLogOdds divides them
       timed as (
           select
               buyers.*,
               buyers.recency_days / $days_per_unit as recency,
               buyers.t_days / $days_per_unit as age,
               outlooks.dropout_log_odds,
               outlooks.p_alive_at_t,
               outlooks.expected_purchases_90d_at_t,
               outlooks.expected_purchases_365d_at_t,
               outlooks.discounted_purchases_365d_at_t,
           from buyers
           left join outlooks
               on buyers.frequency = outlooks.frequency
               and buyers.t_days = outlooks.t_days
       ),

       -- ln(1 + u), u = (T - t_x) / (alpha + t_x): DuckDB has no log1p, and ln(1 + u) alone
       -- loses the digits of a small u; ln(w) u / (w - 1), w = 1 + u, keeps them (Goldberg 1991)
       gaps as (
           select
               *,
               (age - recency) / ($alpha + recency) as gap,
               1 + (age - recency) / ($alpha + recency) as one_plus_gap,
           from timed
       ),

       -- the log-odds of having dropped out: ln(a / (b + x - 1)) + (r + x) ln((alpha + T) / (alpha + t_x))
       odds as (
           select
               *,
               dropout_log_odds
               + ($r + frequency)
               * case when one_plus_gap = 1 then gap else ln(one_plus_gap) * gap / (one_plus_gap - 1) end
                   as dead_log_odds,
           from gaps
       ),

       -- P(alive) = 1 / (1 + e^odds), each branch's exponent <= 0: exactly 1 for x = 0 (BG/NBD
       -- cannot drop out before a repeat purchase), exactly 0 when the odds overflow
       alive as (
           select
               *,
               case
                   when p_alive_at_t is null then null
                   when frequency = 0 then cast(1 as double)
                   when dead_log_odds <= 0 then 1 / (1 + exp(dead_log_odds))
                   else exp(-dead_log_odds) / (1 + exp(-dead_log_odds))
               end as p_alive,
           from odds
       ),

       valued as (
           select
               *,
               frequency > 0 and monetary_value > 0 as is_gg_fitted,
               -- every quantity of the outlook is linear in P(alive): scale the (x, T) pair's
               expected_purchases_90d_at_t * (p_alive / p_alive_at_t) as expected_purchases_90d,
               expected_purchases_365d_at_t * (p_alive / p_alive_at_t) as expected_purchases_365d,
               discounted_purchases_365d_at_t * (p_alive / p_alive_at_t) as discounted_purchases_365d,
               -- Gamma-Gamma's posterior mean p (v + x m) / (p x + q - 1), as expectedAverageSpend
               case
                   when $p * frequency + $q - 1 > 0
                       then ($p * ($v + frequency * monetary_value)) / ($p * frequency + $q - 1)
               end as posterior_avg_revenue,
               -- The margin of a predicted purchase: the buyer's own so far, else the default.
               case
                   when historical_revenue > 0
                       then greatest(0, least(1, historical_margin / historical_revenue))
                   else $default_margin_rate
               end as margin_rate,
           from alive
       ),

       with_spend as (
           select
               *,
               case when is_gg_fitted then posterior_avg_revenue else $population_spend end as expected_avg_revenue,
           from valued
       ),

       final as (
           select
               customer_id,
               frequency,
               recency,
               age as "T",
               cast(monetary_value as double) as monetary_value,
               p_alive,
               case when frequency > 0 then 1 - p_alive end as churn_probability,
               expected_purchases_90d,
               expected_purchases_365d,
               expected_avg_revenue,
               not is_gg_fitted as gg_excluded,
               expected_purchases_365d * expected_avg_revenue as predicted_revenue_365d,
               discounted_purchases_365d * expected_avg_revenue * margin_rate as predicted_clv_365d,
               case when frequency > 0 then recency_days / frequency end as avg_days_between_purchases,
               case
                   when frequency > 0
                       then last_purchase_date + cast(round(recency_days / frequency) as integer)
               end as expected_next_purchase_date,
               -- DECIMAL(18, 2) and (18, 4) as int_clv_summary keeps them: a 38-digit decimal
               -- column is some ten times slower to write and to read back
               historical_revenue,
               historical_margin,
           from with_spend
       )

       select * from final`,
      {
        days_per_unit: fit.daysPerUnit,
        default_margin_rate: defaultMarginRate,
        population_spend: fit.eligible ? ctx.analytics.populationAverageSpend(fit.gammaGamma) : null,
        r: published(fit.bgnbd.r),
        alpha: published(fit.bgnbd.alpha),
        p: published(fit.gammaGamma.p),
        q: published(fit.gammaGamma.q),
        v: published(fit.gammaGamma.v),
      },
    );
  },
};

export default model;

/** What clv_model says: whether predictions are published, in which unit, with which parameters. */
interface Fit {
  eligible: boolean;
  /** 1 when clv_model was fitted in days, 7 in weeks (its alpha is per day or per week). */
  daysPerUnit: number;
  bgnbd: BgNbd;
  gammaGamma: GammaGamma;
}

async function readFit(ctx: ModelContext): Promise<Fit> {
  const { rows } = await ctx.adapter.query(
    `select parameter, value, eligible, time_unit from ${ctx.ref("clv_model")}`,
  );
  const value = (name: string) => Number(rows.find((row) => row.parameter === name)?.value);
  return {
    eligible: rows.length > 0 && rows.every((row) => row.eligible === true),
    // The unit of the fit, whatever --var says now (a run may rebuild customer_value alone).
    daysPerUnit: rows[0]?.time_unit === "weeks" ? 7 : 1,
    bgnbd: { r: value("r"), alpha: value("alpha"), a: value("a"), b: value("b") },
    gammaGamma: { p: value("p"), q: value("q"), v: value("v") },
  };
}

/**
 * BG/NBD's outlook of every distinct (frequency, T) pair of the buyers at t_x = T, keyed by the
 * pair in days, written to a temporary table; no rows when predictions are not published.
 * P(alive) at t_x = T is (b + x - 1) / (a + b + x - 1) for x > 0 and 1 for x = 0: never 0, so
 * SQL can divide by it. dropout_log_odds is ln(a) - ln(b + x - 1), the part of analytics'
 * deadLogOdds without t_x, computed here so that only the t_x term is SQL's arithmetic.
 */
async function writeOutlooks(
  ctx: ModelContext,
  buyers: string,
  fit: Fit,
  annualDiscountRate: number,
): Promise<string> {
  const { analytics } = ctx;
  const { bgnbd, daysPerUnit } = fit;
  const pairs = await ctx.readNumbers<"frequency" | "t_days">(
    // INTEGER: the adapter passes DuckDB's 64-bit integers through strings, far slower to read.
    `select cast(frequency as integer) as frequency, cast(t_days as integer) as t_days
     from ${buyers} where $eligible group by all`,
    { eligible: fit.eligible },
  );
  const { frequency, t_days: age } = pairs;
  const n = frequency.length;
  // null for x = 0, where the odds are -Infinity and SQL's P(alive) is 1 by its own branch
  const odds = new Array<number | null>(n);
  const [alive, within90, within365, discounted] = [0, 1, 2, 3].map(() => new Float64Array(n));
  const options = { daysPerUnit, annualDiscountRate };
  for (let i = 0; i < n; i++) {
    const x = frequency[i]!;
    const T = age[i]! / daysPerUnit;
    const outlook = analytics.purchaseOutlook(bgnbd, { frequency: x, recency: T, T }, options);
    // deadLogOdds at t_x = T: its (r + x) ln((alpha + T) / (alpha + t_x)) term is 0.
    odds[i] = x === 0 ? null : analytics.deadLogOdds(bgnbd, { frequency: x, recency: T, T });
    alive![i] = outlook.pAlive;
    within90![i] = outlook.expectedPurchases90d;
    within365![i] = outlook.expectedPurchases365d;
    discounted![i] = outlook.discountedPurchases365d;
  }
  return ctx.writeTemporary("customer_value_outlooks", [
    { name: "frequency", type: "INTEGER", values: frequency },
    { name: "t_days", type: "INTEGER", values: age },
    { name: "dropout_log_odds", type: "DOUBLE", values: odds },
    { name: "p_alive_at_t", type: "DOUBLE", values: alive! },
    { name: "expected_purchases_90d_at_t", type: "DOUBLE", values: within90! },
    { name: "expected_purchases_365d_at_t", type: "DOUBLE", values: within365! },
    { name: "discounted_purchases_365d_at_t", type: "DOUBLE", values: discounted! },
  ]);
}

/** A rate variable: a number from 0 to `max`. */
function rate(ctx: ModelContext, name: string, max: number): number {
  const value = ctx.var(name);
  if (typeof value !== "number" || !(value >= 0 && value <= max)) {
    throw new Error(
      `${name} must be a number from 0${max < Infinity ? ` to ${max}` : ""}, not ${JSON.stringify(value)}`,
    );
  }
  return value;
}
