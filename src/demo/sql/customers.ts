/**
 * Customers: one row per customer number 1..N with every per-customer draw: fan or buyer, guest
 * (missing from the CRM export), acquisition time and channel, membership, the BG/NBD
 * parameters λ and p and the Gamma-Gamma ν (profile fields are drawn on output, output.ts).
 * A second step resolves referrers: a referred customer points at a random member who joined
 * before they were seen.
 */

import { HOUR_MIX } from "../calendar.ts";
import { CATEGORY_NUMBER_MIX } from "../catalog.ts";
import { gamma, hash64, quarter, quarterIndex } from "../random.ts";
import { clockDay, dayIntensity, endSecond, type SqlContext, timeOfDay, u } from "./context.ts";
import { createLookups, pickLookup } from "./lookups.ts";

/**
 * Stream numbers of the customer key space. A gamma takes gammaStreams(shape) consecutive
 * ones; a hash64 feeds four coarse draws (named beside it) and must not share its stream with
 * a uniform.
 */
export const CUSTOMER_STREAMS = {
  acquisition: 3,
  coarseTime: 4, // hour, second, fan, guest
  delay: 7,
  coarseProfile: 8, // channel, join timing, favourite category, created with the first purchase
  coarseMember: 9, // member
  join: 11,
  dropoutCount: 13,
  referrer: 14,
  lambda: 100,
  betaA: 110,
  betaB: 120,
  nu: 130,
} as const;
const S = CUSTOMER_STREAMS;

/** Streams of the profile fields, drawn when the customers file is written (output.ts). */
export const PROFILE_STREAMS = { first: 31, second: 32, third: 33 } as const;

/**
 * Creates `demo_customer_draws`: every per-customer draw, before referrers are resolved (and
 * `demo_customer_numbers`, 1..N).
 */
export function customerDrawsSql(ctx: SqlContext): string {
  const { params, seed } = ctx;
  const c = params.customers;
  const m = params.members;
  const end = endSecond(ctx);
  const i = "i";
  // Categorical draws read tables of their 16-bit uniform (lookups.ts pickLookup), held in a
  // one-row lookup table: a CASE per row costs several times as much.
  const lookups = createLookups();
  const text = (value: string) => `'${value}'`;
  const hour = pickLookup(lookups, "hour", HOUR_MIX, "INTEGER");
  const channel = pickLookup(lookups, "acquisition_channel", c.acquisitionChannels, "VARCHAR", text);
  const timing = pickLookup(
    lookups,
    "join_timing",
    {
      at: m.joinTiming.atFirstPurchase,
      after: m.joinTiming.afterFirstPurchase,
      before: m.joinTiming.beforeFirstPurchase,
    },
    "VARCHAR",
    text,
  );
  const favourite = pickLookup(lookups, "favourite_category", CATEGORY_NUMBER_MIX, "INTEGER");
  // The customer numbers go into a table first: range() is read by one thread, a table by all,
  // and every draw below is computed in the pipeline that reads them.
  const draws = `create or replace table demo_customer_draws as
with hashed as (
    select
        i,
        ${hash64(seed, i, S.coarseTime)} as h1,
        ${hash64(seed, i, S.coarseProfile)} as h2,
        ${hash64(seed, i, S.coarseMember)} as h3,
        lookups.*
    from demo_customer_numbers
    cross join demo_customer_lookups as lookups
),

uniforms as (
    -- Coarse (16-bit) draws, four per hash: see random.ts quarter().
    select
        i,
        ${hour(quarterIndex("h1", 0))} as hour,
        ${quarter("h1", 1)} as u_second,
        ${quarter("h1", 2)} as u_fan,
        ${quarter("h1", 3)} as u_guest,
        ${quarter("h2", 0)} as u_channel,
        ${channel(quarterIndex("h2", 0))} as channel_draw,
        ${timing(quarterIndex("h2", 1))} as join_timing,
        ${favourite(quarterIndex("h2", 2))} as favourite_category,
        ${quarter("h2", 3)} as u_same_time,
        ${quarter("h3", 0)} as u_member,
        columns('^lookup_')
    from hashed
),

draws as (
    select
        i,
        u_fan < ${c.fanShare} as is_fan,
        u_guest < ${c.guestShare} as guest_draw,
        ${u(ctx, i, S.acquisition)} * ${ctx.totalAcquisition} as acquisition_position,
        ${timeOfDay("hour", "u_second")} as time_of_day,
        u_same_time < ${c.createdBeforeFirstPurchase.sameTimeShare} as created_at_first_purchase,
        floor(-ln(${u(ctx, i, S.delay)}) * ${c.createdBeforeFirstPurchase.meanDays * 86_400})::BIGINT as created_delay,
        channel_draw,
        u_channel < 0.5 as guest_on_tmall,
        u_member,
        join_timing,
        ${u(ctx, i, S.join)} as u_join,
        favourite_category,
        ${gamma(seed, i, S.lambda, params.purchase.r, params.purchase.alpha)} as purchase_rate,
        ${gamma(seed, i, S.betaA, params.purchase.a, 1)} as beta_x,
        ${gamma(seed, i, S.betaB, params.purchase.b, 1)} as beta_y,
        ${gamma(seed, i, S.nu, params.spend.q, params.spend.gamma)} as spend_rate,
        columns('^lookup_')
    from uniforms
),

acquired as (
    select *, ${clockDay(ctx, lookups, "a", "acquisition_position")} as first_day
    from draws
),

placed as (
    select
        *,
        first_day * 86400 + time_of_day as first_second,
        ${dayIntensity(ctx, lookups, "intensityBefore", "first_day")}
            + ${dayIntensity(ctx, lookups, "intensity", "first_day")} * time_of_day / 86400 as first_position
    from acquired
),

timed as (
    select
        *,
        is_fan or created_at_first_purchase as created_with_first,
        case when is_fan or created_at_first_purchase then first_second
            else greatest(0, first_second - created_delay) end as created_second,
        not is_fan and guest_draw as is_guest
    from placed
)

select
    i,
    is_fan,
    is_guest,
    created_second,
    first_second,
    first_day,
    first_position,
    case when is_guest then (case when guest_on_tmall then 'tmall' else 'douyin' end) else channel_draw end as channel_draw,
    case
        when is_guest then null
        when is_fan and u_member < ${m.fanMemberShare} then least(${end}, created_second + floor(u_join * 3 * 86400)::BIGINT)
        when is_fan or u_member >= ${m.buyerMemberShare} then null
        when join_timing = 'at' then first_second
        when join_timing = 'before' then created_second + floor(u_join * (first_second - created_second))::BIGINT
        when first_second + floor(-ln(u_join) * ${m.joinAfterMeanDays * 86_400})::BIGINT <= ${end}
            then first_second + floor(-ln(u_join) * ${m.joinAfterMeanDays * 86_400})::BIGINT
    end as member_second,
    favourite_category,
    purchase_rate,
    beta_x / (beta_x + beta_y) as dropout_probability,
    spend_rate
from timed`;
  // The lookup table is written after the query that registers its lists.
  return `create or replace table demo_customer_numbers as
select range as i from range(1, ${ctx.customers + 1});

${lookups.tableSql("demo_customer_lookups")};

${draws}`;
}

/**
 * Creates `demo_customers`: the draws with referrers resolved. A referred customer picks,
 * uniformly, one of the CRM members whose member_since is before their created_at; one seen
 * before any member joined is recorded as a wechat customer without a referrer.
 */
export function customersSql(ctx: SqlContext): string {
  const channels = Object.keys(ctx.params.orders.channels);
  for (const channel of Object.keys(ctx.params.customers.acquisitionChannels)) {
    if (channel !== "referral" && !channels.includes(channel))
      throw new Error(`invalid acquisition channel: ${channel}`);
  }
  if (!channels.includes("wechat")) throw new Error("invalid order channels: no wechat");
  return `create or replace table demo_member_ranks as
select i, member_second, row_number() over (order by member_second, i) as member_rank
from demo_customer_draws
where member_second is not null;

create or replace table demo_customers as
with member_counts as (
    -- One row per distinct join second, so the ASOF match below is unique.
    select member_second, max(member_rank) as members_before
    from demo_member_ranks
    group by member_second
),

referred as (
    select draws.i, ${u(ctx, "draws.i", S.referrer)} as u_referrer, counts.members_before
    from demo_customer_draws as draws
    asof join member_counts as counts on draws.created_second > counts.member_second
    where draws.channel_draw = 'referral'
),

referrers as (
    select referred.i, ranks.i as referrer
    from referred
    inner join demo_member_ranks as ranks
        on ranks.member_rank = 1 + floor(referred.u_referrer * referred.members_before)::BIGINT
)

select
    draws.* exclude (channel_draw),
    case when draws.channel_draw = 'referral' and referrers.referrer is null then 'wechat'
        else draws.channel_draw end as acquisition_channel,
    -- The channel a customer orders on by habit (a number, 1-based in orders.channels): the
    -- acquisition channel, wechat for a referred customer (referral links open the WeChat mall).
    list_position([${channels.map((c) => `'${c}'`).join(", ")}], case when draws.channel_draw = 'referral' then 'wechat'
        else draws.channel_draw end) as home_channel,
    referrers.referrer,
    draws.purchase_rate * case when referrers.referrer is null then 1 else ${ctx.params.referral.rateMultiplier} end
        as effective_rate
from demo_customer_draws as draws
left join referrers on referrers.i = draws.i`;
}
