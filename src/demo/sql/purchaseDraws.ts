/**
 * The draws of one purchase, as SQL columns of its key (pkey). Every one is a pure function of
 * the key, so the step that lays out a purchase's orders (orderKeys.ts) and the step that
 * prices them (orderRows.ts) compute the same values without passing them along.
 */
import { CATEGORY_NUMBER_MIX } from "../catalog.ts";
import { hash64, quarter, quarterIndex } from "../random.ts";
import { type SqlContext, u } from "./context.ts";
import { type Lookups, pickLookup } from "./lookups.ts";

/** Streams of the purchase key space drawn here (items.ts draws 300 on pkey x 8 + line). */
const S = {
  spend: 220, // .. 220 + p - 1 (p at most 10)
  hashes: 260, // .. 264
} as const;

/** SQL select items: h1 .. h5, the five 64-bit hashes that feed the coarse draws. */
export function purchaseHashes(ctx: SqlContext, key: string): string {
  return [0, 1, 2, 3, 4]
    .map((j) => `${hash64(ctx.seed, key, S.hashes + j)} as h${j + 1}`)
    .join(",\n        ");
}

/**
 * SQL select items reading h1 .. h5 (see purchaseHashes): the coarse (16-bit) uniforms and
 * flags of a purchase, four per hash (random.ts quarter()). `second` is the purchase's time.
 */
export function purchaseUniforms(ctx: SqlContext, second: string): string {
  const { orders, reviews } = ctx.params;
  return [
    `${quarter("h1", 0)} as u_top_up`,
    `${quarter("h1", 1)} as u_channel_home`,
    `${quarter("h1", 2)} as u_channel`,
    `${quarter("h1", 3)} as u_items`,
    `${quarter("h2", 0)} as u_main`,
    `${quarter("h2", 1)} as u_main_draw`,
    `${quarter("h2", 2)} as u_split`,
    `${quarter("h2", 3)} as u_status`,
    `${quarter("h3", 0)} < ${orders.newcomerCouponShare} as newcomer_draw`,
    `${quarter("h3", 1)} < ${orders.cancelledShare} as has_cancelled`,
    `${quarter("h3", 2)} < ${orders.refundedShare} as has_refunded`,
    `${quarter("h3", 3)} < ${reviews.share} as has_review`,
    ...[0, 1, 2, 3].map((j) => `0.5 + ${quarter("h4", j as 0 | 1 | 2 | 3)} as weight_${j + 1}`),
    `${second} + 600 + floor(${quarter("h5", 0)} * 85800)::BIGINT as cancelled_at`,
    `${second} + 86400 + floor(${quarter("h5", 1)} * 29 * 86400)::BIGINT as refunded_at`,
    `${second} + floor((1 + 9 * ${quarter("h5", 2)}) * 86400)::BIGINT as reviewed_at`,
  ].join(",\n        ");
}

/**
 * SQL select items reading h1 and h2 (see purchaseHashes): the categorical draws of a purchase,
 * from tables of their 16-bit uniform (lookups.ts pickLookup): `items`,
 * `channel_draw` (a channel number, 1-based in orders.channels) and `category_draw` (a
 * category number), from the same bits as u_items, u_channel and u_main_draw.
 */
export function purchasePicks(ctx: SqlContext, lookups: Lookups): string {
  const o = ctx.params.orders;
  const channels = Object.keys(o.channels);
  const items = pickLookup(lookups, "items", o.itemsPerPurchase, "INTEGER");
  const channel = pickLookup(
    lookups,
    "channel",
    Object.fromEntries(channels.map((c, index) => [String(index + 1), o.channels[c]!])),
    "INTEGER",
  );
  const category = pickLookup(lookups, "category", CATEGORY_NUMBER_MIX, "INTEGER");
  return [
    `${items(quarterIndex("h1", 3))} as items`,
    `${channel(quarterIndex("h1", 2))} as channel_draw`,
    `${category(quarterIndex("h2", 1))} as category_draw`,
  ].join(",\n        ");
}

/** SQL: the purchase's spend before any coupon top-up, z ~ Gamma(p, rate ν) with an integer p. */
export function spendDraw(ctx: SqlContext, key: string, spendRate: string): string {
  const { p } = ctx.params.spend;
  if (!Number.isInteger(p) || p < 1 || p > 10) throw new Error(`invalid spend shape: ${p}`);
  const product = Array.from({ length: p }, (_, j) => u(ctx, key, S.spend + j)).join(" * ");
  return `-ln(${product}) / ${spendRate}`;
}
