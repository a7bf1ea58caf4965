/**
 * customer_value: one row per buyer with the predictive CLV of metrics.md (customer_value) from
 * the fits in clv_model. BG/NBD's predictions depend on a buyer only through the (frequency,
 * recency, T) triple and Gamma-Gamma's through (frequency, monetary_value), so both are
 * computed once per distinct value, written to temporary tables in bulk and joined to the
 * buyers in SQL: millions of buyers never pass through JavaScript one by one.
 */
import type { ColumnData } from "../../../src/engine/adapters/adapter.ts";
import type { ModelContext, TsModel } from "../../../src/engine/tsModel.ts";

type Analytics = ModelContext["analytics"];
type BgNbd = Parameters<Analytics["purchaseOutlook"]>[0];
type GammaGamma = Parameters<Analytics["expectedAverageSpend"]>[0];
type Outlook = ReturnType<Analytics["purchaseOutlook"]>;

const model: TsModel = {
  refs: ["clv_model", "int_clv_summary"],
  description:
    "One row per buyer: BTYD inputs, P(alive), expected purchases, expected spend and the 365-day CLV.",
  async build(ctx) {
    const annualDiscountRate = rate(ctx, "annual_discount_rate", Number.POSITIVE_INFINITY);
    const defaultMarginRate = rate(ctx, "default_margin_rate", 1);
    const fit = await readFit(ctx);
    const buyers = ctx.ref("int_clv_summary");
    const outlooks = await ctx.writeTemporary(
      "customer_value_outlooks",
      await outlookColumns(ctx, buyers, fit, annualDiscountRate),
    );
    const spends = await ctx.writeTemporary("customer_value_spends", await spendColumns(ctx, buyers, fit));
    await ctx.adapter.execute(
      `create or replace table ${ctx.this} as
       with

       buyers as (
           select * from ${buyers}
       ),

       valued as (
           select
               buyers.*,
               buyers.frequency > 0 and buyers.monetary_value > 0 as is_gg_fitted,
               outlooks.p_alive,
               outlooks.expected_purchases_90d,
               outlooks.expected_purchases_365d,
               outlooks.discounted_purchases_365d,
               spends.expected_avg_revenue as posterior_avg_revenue,
               -- The margin of a predicted purchase: the buyer's own so far, else the default.
               case
                   when buyers.historical_revenue > 0
                       then greatest(0, least(1, buyers.historical_margin / buyers.historical_revenue))
                   else $default_margin_rate
               end as margin_rate,
           from buyers
           left join ${outlooks} as outlooks
               on buyers.frequency = outlooks.frequency
               and buyers.recency_days = outlooks.recency_days
               and buyers.t_days = outlooks.t_days
           left join ${spends} as spends
               on buyers.frequency = spends.frequency
               and cast(buyers.monetary_value as double) = spends.monetary_value
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
               recency_days / $days_per_unit as recency,
               t_days / $days_per_unit as "T",
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
 * BG/NBD's outlook of every distinct (frequency, recency, T) triple of the buyers, keyed by the
 * triple in days; no rows when predictions are not published. E[Y(t) | x, t_x, T] =
 * P(alive | x, t_x, T) × M(x, T, t), where the costly hypergeometric part M does not depend on
 * t_x and every quantity of the outlook is linear in P(alive): M is evaluated once per (x, T),
 * through the outlook at t_x = T, and scaled by the ratio of P(alive). A shop has some ten
 * thousand (x, T) pairs for a million triples.
 */
async function outlookColumns(
  ctx: ModelContext,
  buyers: string,
  fit: Fit,
  annualDiscountRate: number,
): Promise<ColumnData[]> {
  const { analytics } = ctx;
  const { bgnbd, daysPerUnit } = fit;
  const triples = await ctx.readNumbers<"frequency" | "recency_days" | "t_days">(
    `select frequency, recency_days, t_days from ${buyers} where $eligible group by all`,
    { eligible: fit.eligible },
  );
  const { frequency, recency_days: recency, t_days: age } = triples;
  const n = frequency.length;
  const [alive, within90, within365, discounted] = [0, 1, 2, 3].map(() => new Float64Array(n));
  const atRecencyT = new Map<number, Map<number, Outlook>>();
  const options = { daysPerUnit, annualDiscountRate };
  for (let i = 0; i < n; i++) {
    const x = frequency[i]!;
    const T = age[i]! / daysPerUnit;
    let byT = atRecencyT.get(x);
    if (byT === undefined) {
      byT = new Map();
      atRecencyT.set(x, byT);
    }
    let base = byT.get(T);
    if (base === undefined) {
      base = analytics.purchaseOutlook(bgnbd, { frequency: x, recency: T, T }, options);
      byT.set(T, base);
    }
    const pAlive = analytics.pAlive(bgnbd, { frequency: x, recency: recency[i]! / daysPerUnit, T });
    // P(alive) at t_x = T is (b + x − 1) / (a + b + x − 1) for x > 0 and 1 for x = 0: never 0.
    const ratio = pAlive / base.pAlive;
    alive![i] = pAlive;
    within90![i] = base.expectedPurchases90d * ratio;
    within365![i] = base.expectedPurchases365d * ratio;
    discounted![i] = base.discountedPurchases365d * ratio;
  }
  return [
    { name: "frequency", type: "INTEGER", values: frequency },
    { name: "recency_days", type: "INTEGER", values: recency },
    { name: "t_days", type: "INTEGER", values: age },
    { name: "p_alive", type: "DOUBLE", values: alive! },
    { name: "expected_purchases_90d", type: "DOUBLE", values: within90! },
    { name: "expected_purchases_365d", type: "DOUBLE", values: within365! },
    { name: "discounted_purchases_365d", type: "DOUBLE", values: discounted! },
  ];
}

/** Gamma-Gamma's expected spend of every distinct (frequency, monetary_value) in its fit. */
async function spendColumns(ctx: ModelContext, buyers: string, fit: Fit): Promise<ColumnData[]> {
  const pairs = await ctx.readNumbers<"frequency" | "monetary_value">(
    `select frequency, cast(monetary_value as double) as monetary_value
     from ${buyers} where $eligible and frequency > 0 and monetary_value > 0 group by all`,
    { eligible: fit.eligible },
  );
  const { frequency, monetary_value: monetary } = pairs;
  const expected = Array.from(frequency, (x, i) =>
    ctx.analytics.expectedAverageSpend(fit.gammaGamma, x, monetary[i]!),
  );
  return [
    { name: "frequency", type: "INTEGER", values: frequency },
    { name: "monetary_value", type: "DOUBLE", values: monetary },
    { name: "expected_avg_revenue", type: "DOUBLE", values: expected },
  ];
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
