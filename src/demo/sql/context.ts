/**
 * What every SQL step of the generator needs: the seed, the size, the true parameters, the
 * period in seconds, and the campaign plan. Times inside the generator are BIGINT seconds since
 * the period start (00:00 of its first day, shop time); they become TIMESTAMPs only on output.
 */
import { type CalendarDay, clockBuckets, sqlDouble } from "../calendar.ts";
import type { PlannedCampaign } from "../campaignPlan.ts";
import type { DemoParameters } from "../parameters.ts";
import { uniform } from "../random.ts";
import type { Lookups } from "./lookups.ts";

export interface SqlContext {
  seed: number;
  customers: number;
  params: DemoParameters;
  /** Days in the period; the last second is periodDays x 86400 - 1. */
  periodDays: number;
  /** The period's days (calendar.ts), day 0 first. */
  calendar: CalendarDay[];
  /** G at the end of the period: the sum of the seasonal intensity (equal to periodDays). */
  totalIntensity: number;
  /** The running sum of the acquisition intensity at the end of the period. */
  totalAcquisition: number;
  campaigns: PlannedCampaign[];
}

/**
 * SQL: the day (0-based) holding a position on the G (purchase) or A (acquisition) clock,
 * read from bucket lists registered in `lookups` (calendar.ts clockBuckets). `position` is
 * read twice: pass a column.
 */
export function clockDay(ctx: SqlContext, lookups: Lookups, clock: "g" | "a", position: string): string {
  const { width, firstDays, boundaries } = clockBuckets(ctx.calendar, clock);
  const firstDay = lookups.list(`${clock}_first_day`, firstDays, "INTEGER");
  const boundary = lookups.list(`${clock}_boundary`, boundaries.map(sqlDouble), "DOUBLE");
  const bucket = `floor(${position} / ${sqlDouble(width)})::BIGINT + 1`;
  return `(${firstDay(bucket)} + (${position} >= ${boundary(bucket)})::INTEGER)`;
}

/** SQL: a day's seasonal intensity, or G at its start (`intensityBefore`), from `lookups`. */
export function dayIntensity(
  ctx: SqlContext,
  lookups: Lookups,
  field: "intensity" | "intensityBefore",
  day: string,
): string {
  const name = field === "intensity" ? "intensity" : "intensity_before";
  return lookups.list(
    name,
    ctx.calendar.map((d) => sqlDouble(d[field])),
    "DOUBLE",
  )(`${day} + 1`);
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
 * Seconds into a day: the hour (an SQL expression: a draw from HOUR_MIX, e.g. a lookup of a
 * lookups.ts pickLookup), the second uniform within it (a column holding a uniform).
 */
export function timeOfDay(hour: string, secondUniform: string): string {
  return `(${hour} * 3600 + floor(${secondUniform} * 3600)::BIGINT)`;
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
