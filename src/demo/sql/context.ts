/**
 * What every SQL step of the generator needs: the seed, the size, the true parameters, the
 * period in seconds, and the campaign plan. Times inside the generator are BIGINT seconds since
 * the period start (00:00 of its first day, shop time); they become TIMESTAMPs only on output.
 */
import { HOUR_MIX, sqlDouble } from "../calendar.ts";
import type { PlannedCampaign } from "../campaignPlan.ts";
import type { DemoParameters } from "../parameters.ts";
import { pick, uniform } from "../random.ts";

export interface SqlContext {
  seed: number;
  customers: number;
  params: DemoParameters;
  /** Days in the period; the last second is periodDays x 86400 - 1. */
  periodDays: number;
  /** G at the end of the period: the sum of the seasonal intensity (equal to periodDays). */
  totalIntensity: number;
  /** The running sum of the acquisition intensity at the end of the period. */
  totalAcquisition: number;
  campaigns: PlannedCampaign[];
  /** Bucket widths of `demo_g_buckets` and `demo_a_buckets` (calendar.ts bucketsSql). */
  bucketWidth: { g: number; a: number };
}

/**
 * SQL: the day holding a position on the G (purchase) or A (acquisition) clock, given the
 * bucket row joined as `alias` on `bucket = ${"`"}bucketOf(...)${"`"}`.
 */
export function dayAt(position: string, alias: string): string {
  return `(case when ${position} < ${alias}.boundary then ${alias}.first_day else ${alias}.first_day + 1 end)`;
}

/** SQL: the bucket of a position on the G or A clock. */
export function bucketOf(ctx: SqlContext, clock: "g" | "a", position: string): string {
  return `floor((${position}) / ${sqlDouble(ctx.bucketWidth[clock])})::BIGINT`;
}

/** The last second of the period. */
export function endSecond(ctx: SqlContext): number {
  return ctx.periodDays * 86_400 - 1;
}

/** A uniform draw bound to the context's seed. */
export function u(ctx: SqlContext, key: string, stream: number): string {
  return uniform(ctx.seed, key, stream);
}

/**
 * Seconds into a day: the hour from HOUR_MIX, the second uniform within it. Takes two *column*
 * names holding uniforms: a CASE over an inline draw would evaluate the hash once per branch.
 */
export function timeOfDay(hourUniform: string, secondUniform: string): string {
  return `(${pick(hourUniform, HOUR_MIX, false)} * 3600 + floor(${secondUniform} * 3600)::BIGINT)`;
}

/** SQL for a timestamp from seconds since the period start (make_timestamp: no interval arithmetic). */
export function timestampOf(ctx: SqlContext, seconds: string): string {
  const epoch = Date.parse(`${ctx.params.period.start}T00:00:00Z`) / 1000;
  return `make_timestamp((${epoch}::BIGINT + (${seconds})) * 1000000)`;
}

/**
 * The customer_id of customer number i: 9 digits, 100000001 on (numeric, as CRM member numbers
 * are; a cast, not a padded concatenation, which costs four times as much per row).
 */
export function customerId(i: string): string {
  return `(100000000 + (${i}))::VARCHAR`;
}
