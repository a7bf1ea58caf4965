/**
 * Natural purchases: the BG/NBD process of every buyer, plus same-day add-ons.
 *
 * A buyer's first purchase is at their acquisition time. Repeat purchases arrive as a Poisson
 * process of rate λ per season-adjusted day (λ x the member multiplier from member_since on),
 * and after each repeat purchase the buyer drops out with probability p: the number of repeats
 * before dropout is K ~ Geometric(p) on 1, 2, ... The first n = min(K, cap) arrival times
 * S_1 < ... < S_n of a rate-λ process are drawn without a running sum: S_(n+1) ~ Gamma(n + 1, λ)
 * and, independently, (S_1, ..., S_n) / S_(n+1) are n sorted iid uniforms; as a set, n iid
 * uniforms times S_(n+1), so each arrival is one row and nothing is sorted. A change of
 * clock maps S_k to calendar time: first the member multiplier, then the inverse of the seasonal
 * G(t). Arrivals past the period's end are not observed. The cap (mean + 6 sd + 6 of the
 * arrivals the period can hold) binds with negligible probability.
 */

import { HOUR_MIX } from "../calendar.ts";
import { gammaMarsagliaTsang, hash64, quarter, quarterIndex } from "../random.ts";
import { clockDay, dayIntensity, endSecond, type SqlContext, timeOfDay, u } from "./context.ts";
import { CUSTOMER_STREAMS } from "./customers.ts";
import { createLookups, pickLookup } from "./lookups.ts";

// Streams of the purchase key space (pkey); the span takes 18 (Marsaglia-Tsang tries), from 700.
const S = { order: 202, hour: 204, addOn: 206, addOnDelay: 207, span: 700 } as const;

/** Purchase keys: customer x 100000 + a local number (natural k, 50000 + k for add-ons, 90000 + campaign). */
export const PURCHASE_KEY = {
  perCustomer: 100_000,
  addOn: 50_000,
  induced: 90_000,
  maxNatural: 49_999,
} as const;

/**
 * Creates `demo_purchase_lookups` and `demo_natural_purchases` (pkey, i, second): the first
 * purchase (local number 0), repeats (k) and add-ons (50000 + k) of every buyer.
 */
export function naturalPurchasesSql(ctx: SqlContext): string {
  const { params } = ctx;
  const multiplier = params.members.rateMultiplier;
  const fastest = Math.max(1, multiplier);
  const end = endSecond(ctx);
  const total = ctx.totalIntensity;
  const key = `i * ${PURCHASE_KEY.perCustomer} + k`;
  // The hour of day reads a table of its 16-bit uniform (lookups.ts pickLookup), not a CASE.
  const lookups = createLookups();
  const hour = pickLookup(lookups, "hour", HOUR_MIX, "INTEGER");
  const body = `create or replace table demo_natural_purchases as
with buyers as (
    select
        customers.i,
        customers.first_second,
        customers.first_day,
        customers.first_position,
        customers.effective_rate,
        customers.dropout_probability,
        ${u(ctx, "customers.i", CUSTOMER_STREAMS.dropoutCount)} as u_dropout_count,
        -- The seasonal clock at member_since (or at the first purchase, if already a member then).
        case
            when customers.member_second is null then 1e300
            when customers.member_second <= customers.first_second then customers.first_position
            else ${dayIntensity(ctx, lookups, "intensityBefore", "customers.member_second // 86400")}
                + ${dayIntensity(ctx, lookups, "intensity", "customers.member_second // 86400")} * (customers.member_second % 86400) / 86400
        end as member_position
    from demo_customers as customers
    cross join demo_purchase_lookups as lookups
    where not customers.is_fan
),

counted as (
    select
        *,
        -- Repeats before dropout, K ~ Geometric(p) on 1, 2, ...; capped by what the period can hold.
        least(
            1 + floor(ln(u_dropout_count) / ln(greatest(1 - dropout_probability, 1e-300))),
            ceil(
                effective_rate * ${fastest} * (${total} - first_position)
                + 6 * sqrt(effective_rate * ${fastest} * (${total} - first_position))
                + 6
            ),
            ${PURCHASE_KEY.maxNatural}
        )::BIGINT as n,
        -- The operational time (rate-1 clock before the member multiplier) the period can hold.
        case
            when member_position >= ${total} then ${total} - first_position
            else member_position - first_position + ${multiplier} * (${total} - member_position)
        end as horizon
    from buyers
),

spanned as (
    select
        *,
        -- S_(n+1) ~ Gamma(n + 1, λ): where the (n+1)-th arrival would be.
        ${gammaMarsagliaTsang(ctx.seed, `i * ${PURCHASE_KEY.perCustomer}`, S.span, "n + 1")} / effective_rate as span
    from counted
),

arrivals as (
    -- The first n arrivals as a set: S_(n+1) x n iid uniforms (their order does not matter).
    select
        i, first_second, first_day, first_position, member_position,
        k,
        span * ${u(ctx, key, S.order)} as operational,
        horizon
    from (select *, unnest(range(1, n + 1)) as k from spanned)
),

positioned as (
    select
        *,
        case
            when first_position + operational <= member_position then first_position + operational
            else member_position + (first_position + operational - member_position) / ${multiplier}
        end as position,
        ${hash64(ctx.seed, key, S.hour)} as h
    from arrivals
    where operational < horizon
),

dated as (
    select
        positioned.* exclude (h),
        ${hour(quarterIndex("positioned.h", 0))} as hour,
        ${quarter("positioned.h", 1)} as u_second,
        ${quarter("positioned.h", 2)} as u_same_day,
        ${clockDay(ctx, lookups, "g", "positioned.position")} as day
    from positioned
    cross join demo_purchase_lookups as lookups
    where positioned.position < ${total}
),

repeats as (
    select
        i * ${PURCHASE_KEY.perCustomer} + k as pkey,
        i,
        case
            -- A repeat on the first purchase's day comes after it.
            when day = first_day then first_second
                + floor((86400 - first_second % 86400) * u_same_day)::BIGINT
            else day * 86400 + ${timeOfDay("hour", "u_second")}
        end as second
    from dated
),

observed as (
    select i * ${PURCHASE_KEY.perCustomer} as pkey, i, first_second as second
    from buyers
    union all
    select * from repeats
)

select * from observed
union all
-- Add-ons: another purchase the same day, 5 to 125 minutes later (never past midnight or the end).
select
    pkey + ${PURCHASE_KEY.addOn} as pkey,
    i,
    least(second + 300 + floor(${u(ctx, "pkey", S.addOnDelay)} * 7200)::BIGINT, second // 86400 * 86400 + 86399, ${end})
        as second
from observed
where ${u(ctx, "pkey", S.addOn)} < ${params.orders.addOnShare}
    and second < ${end}`;
  // The lookup table is written last: building the query registers its lists.
  return `${lookups.tableSql("demo_purchase_lookups")};\n${body}`;
}
