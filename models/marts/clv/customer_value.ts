/**
 * customer_value: one row per buyer with the predictive CLV of metrics.md (customer_value) from
 * the fits in clv_model. BG/NBD's predictions depend on a buyer only through the (frequency,
 * recency, T) triple and Gamma-Gamma's through (frequency, monetary_value), so both are
 * computed once per distinct value, written to temporary tables in bulk and joined to the
 * buyers in SQL: millions of buyers never pass through JavaScript one by one.
 */
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
    const { analytics } = ctx;
    const annualDiscountRate = rate(ctx, "annual_discount_rate", Number.POSITIVE_INFINITY);
    const defaultMarginRate = rate(ctx, "default_margin_rate", 1);
    const fits = (
      await ctx.adapter.query(
        `select model, parameter, value, eligible, time_unit from ${ctx.ref("clv_model")}`,
      )
    ).rows;
    // The unit clv_model was fitted in (its alpha is per day or per week), whatever --var says now.
    const daysPerUnit = fits[0]?.time_unit === "weeks" ? 7 : 1;
    const eligible = fits.length > 0 && fits.every((row) => row.eligible === true);
    const value = (name: string) => Number(fits.find((row) => row.parameter === name)?.value);
    const buyers = ctx.ref("int_clv_summary");

    const outlook = {
      frequency: [] as number[],
      recency: [] as number[],
      T: [] as number[],
      values: [] as Outlook[],
    };
    const spend = { frequency: [] as number[], monetary: [] as number[], expected: [] as (number | null)[] };
    let populationSpend: number | null = null;
    if (eligible) {
      const bgnbd: BgNbd = { r: value("r"), alpha: value("alpha"), a: value("a"), b: value("b") };
      const gammaGamma: GammaGamma = { p: value("p"), q: value("q"), v: value("v") };
      const triples = await ctx.readNumbers(
        `select frequency, recency_days, t_days from ${buyers} group by all`,
      );
      const options = { daysPerUnit, annualDiscountRate };
      const outlookOf = outlookByTriple(analytics, bgnbd, options);
      triples.frequency!.forEach((frequency, i) => {
        outlook.frequency.push(frequency);
        outlook.recency.push(triples.recency_days![i]!);
        outlook.T.push(triples.t_days![i]!);
        outlook.values.push(
          outlookOf(frequency, triples.recency_days![i]! / daysPerUnit, triples.t_days![i]! / daysPerUnit),
        );
      });
      const pairs = await ctx.readNumbers(
        `select frequency, cast(monetary_value as double) as monetary_value
         from ${buyers} where frequency > 0 and monetary_value > 0 group by all`,
      );
      pairs.frequency!.forEach((frequency, i) => {
        const monetary = pairs.monetary_value![i]!;
        spend.frequency.push(frequency);
        spend.monetary.push(monetary);
        spend.expected.push(analytics.expectedAverageSpend(gammaGamma, frequency, monetary));
      });
      populationSpend = analytics.populationAverageSpend(gammaGamma);
    }
    const outlooks = await ctx.writeTemporary("customer_value_outlooks", [
      { name: "frequency", type: "INTEGER", values: outlook.frequency },
      { name: "recency_days", type: "INTEGER", values: outlook.recency },
      { name: "t_days", type: "INTEGER", values: outlook.T },
      { name: "p_alive", type: "DOUBLE", values: outlook.values.map((one) => one.pAlive) },
      {
        name: "expected_purchases_90d",
        type: "DOUBLE",
        values: outlook.values.map((one) => one.expectedPurchases90d),
      },
      {
        name: "expected_purchases_365d",
        type: "DOUBLE",
        values: outlook.values.map((one) => one.expectedPurchases365d),
      },
      {
        name: "discounted_purchases_365d",
        type: "DOUBLE",
        values: outlook.values.map((one) => one.discountedPurchases365d),
      },
    ]);
    const spends = await ctx.writeTemporary("customer_value_spends", [
      { name: "frequency", type: "INTEGER", values: spend.frequency },
      { name: "monetary_value", type: "DOUBLE", values: spend.monetary },
      { name: "expected_avg_revenue", type: "DOUBLE", values: spend.expected },
    ]);
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
               historical_revenue,
               historical_margin,
           from with_spend
       )

       select * from final`,
      {
        days_per_unit: daysPerUnit,
        default_margin_rate: defaultMarginRate,
        population_spend: populationSpend,
      },
    );
  },
};

export default model;

/**
 * Outlook of a triple (x, t_x, T) in the fit's unit. E[Y(t) | x, t_x, T] = P(alive | x, t_x, T)
 * × M(x, T, t): the costly hypergeometric part M does not depend on t_x, and every quantity of
 * the outlook is linear in P(alive). So M is evaluated once per (x, T), through the outlook at
 * t_x = T, and scaled by the ratio of P(alive): a shop has far fewer (x, T) pairs than triples.
 */
function outlookByTriple(
  analytics: Analytics,
  bgnbd: BgNbd,
  options: Parameters<Analytics["purchaseOutlook"]>[2],
): (frequency: number, recency: number, T: number) => Outlook {
  const atRecencyT = new Map<number, Map<number, Outlook>>();
  return (frequency, recency, T) => {
    let byT = atRecencyT.get(frequency);
    if (byT === undefined) {
      byT = new Map();
      atRecencyT.set(frequency, byT);
    }
    let base = byT.get(T);
    if (base === undefined) {
      base = analytics.purchaseOutlook(bgnbd, { frequency, recency: T, T }, options);
      byT.set(T, base);
    }
    const pAlive = analytics.pAlive(bgnbd, { frequency, recency, T });
    // P(alive) at t_x = T is (b + x − 1) / (a + b + x − 1) for x > 0 and 1 for x = 0: never 0.
    const ratio = pAlive / base.pAlive;
    return {
      pAlive,
      expectedPurchases90d: base.expectedPurchases90d * ratio,
      expectedPurchases365d: base.expectedPurchases365d * ratio,
      discountedPurchases365d: base.discountedPurchases365d * ratio,
    };
  };
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
