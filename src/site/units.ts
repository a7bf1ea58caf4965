/**
 * The unit of a column decides how its numbers read everywhere on the site: a metric is
 * formatted once, by what it measures, not by each page. The unit comes from the column's
 * `meta.unit` in the model YAML (carried into target/manifest.json) when given, otherwise from
 * the naming convention of the mart contract (`_rate`/`_share` fractions, money in the shop
 * currency, `_days`, `_month`, `_date`, counts). Evidence's `fmt=` names map onto the same units.
 */

export type Unit =
  | "percent"
  | "pp"
  | "currency"
  | "count"
  | "number"
  | "ratio"
  | "days"
  | "months"
  | "years"
  | "date"
  | "month"
  | "timestamp"
  | "text";

const UNITS = new Set<Unit>([
  "percent",
  "pp",
  "currency",
  "count",
  "number",
  "ratio",
  "days",
  "months",
  "years",
  "date",
  "month",
  "timestamp",
  "text",
]);

/** Checks a unit named in YAML or a page; undefined when it is not one of ours. */
export function parseUnit(name: string | undefined): Unit | undefined {
  if (!name) return undefined;
  const lower = name.trim().toLowerCase();
  if (UNITS.has(lower as Unit)) return lower as Unit;
  return EVIDENCE_FORMATS[lower];
}

// Evidence's built-in format names (and a few spellings analysts use), onto our units.
const EVIDENCE_FORMATS: Record<string, Unit> = {
  pct: "percent",
  pct0: "percent",
  pct1: "percent",
  pct2: "percent",
  pct3: "percent",
  num: "number",
  num0: "count",
  num1: "number",
  num2: "number",
  num3: "number",
  usd: "currency",
  usd0: "currency",
  usd2: "currency",
  cny: "currency",
  cny0: "currency",
  cny2: "currency",
  rmb: "currency",
  eur: "currency",
  id: "text",
  mdy: "date",
  ddd: "date",
  date: "date",
  longdate: "date",
  mmm: "month",
  mmmyyyy: "month",
  yyyy: "text",
  x: "ratio",
  multiplier: "ratio",
};

const PERCENT =
  /(_rate|_share|^share|_retention|_rate_\d+d|^repurchase_\d+d|_pct|_growth|_growth_\d+d|_change_pct)$|^(p_alive|churn_probability|uplift_rel|roi)$/;
const PP = /^(uplift_abs|ci_low|ci_high)$/;
const RATIO = /(_ratio|_to_cac)$/;
const CURRENCY =
  /(revenue|margin|aov|^ltv|^cac|clv|spend|cost|discount|monetary|_per_contact|_per_customer|_per_buyer|_per_member|_per_purchase|amount|value_cny|gmv)/;
const DAYS =
  /(_days|^days_|days_between|_days_\w+|^recency)$|^(avg_days_between_purchases|recency_days|days_since_\w+)$/;
const MONTHS = /(_months)$/;
const YEARS = /(_years)$/;
const MONTH = /(^month$|_month$)/;
const DATE = /(_date$|_on$|^date$|_day$)/;
const TIMESTAMP = /(_at$)/;
const COUNT =
  /(buyers|customers|contacts|orders|purchases|responders|^rows_|_size$|churned|reactivated|^active_|_count$|^n$|cohorts_included|frequency$|^products$|members|fans|^k$|months_since_first|window_days|_score$)/;

/** The unit a column name implies under the mart contract's naming rules. */
export function unitFromName(column: string): Unit {
  const name = column.toLowerCase();
  if (PP.test(name)) return "pp";
  if (PERCENT.test(name)) return "percent";
  if (RATIO.test(name)) return "ratio";
  if (/margin_rate|_rate$/.test(name)) return "percent";
  if (TIMESTAMP.test(name)) return "timestamp";
  if (MONTH.test(name)) return "month";
  if (DATE.test(name)) return "date";
  if (DAYS.test(name)) return "days";
  if (MONTHS.test(name)) return "months";
  if (YEARS.test(name)) return "years";
  if (/^(expected_purchases_\w+|avg_purchases\w*|avg_frequency|frequency_bucket|p_value)$/.test(name))
    return "number";
  if (CURRENCY.test(name)) return "currency";
  if (COUNT.test(name)) return "count";
  return "number";
}

/**
 * A column's unit: an explicit one (a page's `fmt=`, then the YAML's `meta.unit`) wins over the
 * name; text columns stay text whatever their name.
 */
export function resolveUnit(
  column: string,
  options: { explicit?: string; declared?: Unit; sample?: unknown },
): Unit {
  const explicit = parseUnit(options.explicit);
  if (explicit) return explicit;
  if (options.declared) return options.declared;
  const fromName = unitFromName(column);
  if (typeof options.sample === "string") {
    const dateLike = /^\d{4}-\d{2}-\d{2}/.test(options.sample);
    if (fromName === "month" || fromName === "date" || fromName === "timestamp") return fromName;
    if (dateLike) return options.sample.length > 10 ? "timestamp" : "date";
    return "text";
  }
  if (typeof options.sample === "boolean") return "text";
  return fromName;
}
