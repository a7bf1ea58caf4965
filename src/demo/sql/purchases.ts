/**
 * Natural purchases: the BG/NBD process of every buyer, plus same-day add-ons.
 *
 * A buyer's first purchase is at their acquisition time. Repeat purchases arrive as a Poisson
 * process of rate λ per season-adjusted day (λ x the member multiplier from member_since on),
 * and after each repeat purchase the buyer drops out with probability p: the number of repeats
 * before dropout is K ~ Geometric(p) on 1, 2, ... Arrival k sits at S_k, the running sum of k
 * exponential gaps, which a change of clock maps to calendar time: first through the member
 * multiplier, then through the inverse of the seasonal G(t). Arrivals past the period's end are
 * not observed. Rows are generated for min(K, cap) arrivals, where the cap (mean + 6 sd + 10 of
 * the arrivals possible before the end) is exceeded with negligible probability.
 */
import { endSecond, type SqlContext, timeOfDay, u } from "./context.ts";

const S = { gap: 201, sameDaySecond: 202, hour: 203, addOn: 205, addOnDelay: 206 } as const;

/** Purchase keys: customer x 100000 + a local number (natural k, 50000 + k for add-ons, 90000 + campaign). */
export const PURCHASE_KEY = { perCustomer: 100_000, addOn: 50_000, induced: 90_000, maxNatural: 49_999 } as const;

/** Creates `demo_natural_purchases` (pkey, i, kind, second). */
export function naturalPurchasesSql(ctx: SqlContext): string {
  const { params } = ctx;
  const multiplier = params.members.rateMultiplier;
  const end = endSecond(ctx);
  const key = `i * ${PURCHASE_KEY.perCustomer} + k`;
  return `create or replace table demo_natural_purchases as
with buyers as (
    select
        customers.i,
        customers.first_second,
        customers.first_day,
        customers.first_position,
        customers.effective_rate,
        customers.dropout_probability,
        customers.u_dropout_count,
        -- The seasonal clock at member_since (or at the first purchase, if already a member then).
        case
            when customers.member_second is null then 1e300
            when customers.member_second <= customers.first_second then customers.first_position
            else days.intensity_before + days.intensity * (customers.member_second % 86400) / 86400
        end as member_position
    from demo_customers as customers
    left join demo_days as days on days.day = customers.member_second // 86400
    where not customers.is_fan
),

counted as (
    select
        *,
        -- Repeats before dropout, K ~ Geometric(p) on 1, 2, ...; capped by what the period can hold.
        least(
            1 + floor(ln(u_dropout_count) / ln(greatest(1 - dropout_probability, 1e-300))),
            ceil(
                effective_rate * ${Math.max(1, multiplier)} * (${ctx.totalIntensity} - first_position)
                + 6 * sqrt(effective_rate * ${Math.max(1, multiplier)} * (${ctx.totalIntensity} - first_position))
                + 10
            ),
            ${PURCHASE_KEY.maxNatural}
        )::BIGINT as repeat_rows
    from buyers
),

arrivals as (
    select
        i, first_second, first_day, first_position, effective_rate, member_position,
        unnest(range(1, repeat_rows + 1)) as k
    from counted
),

clocked as (
    select
        *,
        sum(-ln(${u(ctx, key, S.gap)}) / effective_rate) over (
            partition by i order by k rows between unbounded preceding and current row
        ) as operational
    from arrivals
),

positioned as (
    select
        *,
        case
            when first_position + operational <= member_position then first_position + operational
            else member_position + (first_position + operational - member_position) / ${multiplier}
        end as position
    from clocked
),

repeats as (
    select
        positioned.i * ${PURCHASE_KEY.perCustomer} + positioned.k as pkey,
        positioned.i,
        'repeat' as kind,
        case
            -- A repeat on the first purchase's day comes after it.
            when days.day = positioned.first_day then positioned.first_second
                + floor((86400 - positioned.first_second % 86400) * ${u(ctx, key, S.sameDaySecond)})::BIGINT
            else days.day * 86400 + ${timeOfDay(ctx, key, S.hour)}
        end as second
    from positioned
    asof join demo_days as days on positioned.position >= days.intensity_before
    where positioned.position < ${ctx.totalIntensity}
),

observed as (
    select i * ${PURCHASE_KEY.perCustomer} as pkey, i, 'first' as kind, first_second as second
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
    'addon' as kind,
    least(second + 300 + floor(${u(ctx, "pkey", S.addOnDelay)} * 7200)::BIGINT, second // 86400 * 86400 + 86399, ${end})
        as second
from observed
where ${u(ctx, "pkey", S.addOn)} < ${params.orders.addOnShare}
    and second < ${end}`;
}
