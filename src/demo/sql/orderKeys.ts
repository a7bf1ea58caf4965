/**
 * Order keys: every order the purchases give, in the order of the orders file. A purchase gives
 * one order, or two sharing a parent_order_id when split (only purchases of 2 or more items);
 * it may also give a cancelled duplicate (same items, 10 minutes to a day later) and a fully
 * refunded extra order (same items, 1 to 30 days later). Which of these exist, and when, are
 * draws of the purchase key (purchaseDraws.ts).
 *
 * The table is sorted here, once, while its rows are narrow: the key, two times, and what the
 * pricing step needs from other tables (the buyer's traits, the coupon offered). Every step
 * after it is a projection that keeps this order (preserve_insertion_order): a join would not,
 * as a hash join emits a chunk's unmatched or colliding rows after the others.
 */
import { pickAtLeast } from "../random.ts";
import { endSecond, type SqlContext, u } from "./context.ts";
import { purchaseHashes, purchaseUniforms } from "./purchaseDraws.ts";

/** Order keys: purchase key x 4 + role (0 the order or first child, 1 second child, 2 cancelled, 3 refunded). */
export const ORDER_ROLES = 4;

const S = { redeem: 248 } as const;

/**
 * SQL: the order_id of an order key: 15 digits (10^14 + key), numeric like a marketplace order
 * number and below 2^53, so even a reader that parses it as a number keeps it.
 */
export function orderId(okey: string): string {
  return `(100000000000000 + (${okey}))::VARCHAR`;
}

/**
 * Creates `demo_order_keys`, sorted by order time then key: okey, order_second, second (the
 * purchase's own time), offered_campaign (the campaign whose coupon the purchase is offered:
 * its own for an induced purchase, w.p. naturalRedemptionShare that of a treatment contact's
 * window it falls in), and the buyer's spend_rate, favourite_category, home_channel and
 * dropout_probability. Reads demo_natural_purchases, demo_induced_purchases,
 * demo_redemption_candidates and demo_customers.
 */
export function orderKeysSql(ctx: SqlContext): string {
  const o = ctx.params.orders;
  const end = endSecond(ctx);
  return `create or replace table demo_order_keys as
with purchases as (
    select pkey, i, second, null::INTEGER as campaign_number from demo_natural_purchases
    union all
    select pkey, i, second, campaign_number from demo_induced_purchases
),

redemptions as (
    select candidates.pkey, candidates.campaign_number
    from demo_redemption_candidates as candidates
    where ${u(ctx, "candidates.pkey", S.redeem)} < ${ctx.params.campaigns.naturalRedemptionShare}
),

drawn as (
    select
        purchases.pkey,
        purchases.second,
        coalesce(purchases.campaign_number, redemptions.campaign_number) as offered_campaign,
        customers.spend_rate,
        customers.favourite_category,
        customers.home_channel,
        customers.dropout_probability,
        ${purchaseUniforms(ctx, "purchases.second")}
    from (select *, ${purchaseHashes(ctx, "pkey")} from purchases) as purchases
    inner join demo_customers as customers on customers.i = purchases.i
    left join redemptions on redemptions.pkey = purchases.pkey
),

laid_out as materialized (
    select
        pkey,
        second,
        offered_campaign,
        spend_rate,
        favourite_category,
        home_channel,
        dropout_probability,
        ${pickAtLeast("u_items", o.itemsPerPurchase, 2)} and u_split < ${o.splitShare} as is_split,
        case when has_cancelled and cancelled_at <= ${end} then cancelled_at end as cancelled_second,
        case when has_refunded and refunded_at <= ${end - 86_400} then refunded_at end as refunded_second
    from drawn
),

orders as (
    select pkey * ${ORDER_ROLES} as okey, second as order_second, * from laid_out
    union all
    select pkey * ${ORDER_ROLES} + 1, second, * from laid_out where is_split
    union all
    select pkey * ${ORDER_ROLES} + 2, cancelled_second, * from laid_out where cancelled_second is not null
    union all
    select pkey * ${ORDER_ROLES} + 3, refunded_second, * from laid_out where refunded_second is not null
)

-- The narrowest types that hold the values: the sort moves every byte of them.
select
    okey,
    order_second::INTEGER as order_second,
    second::INTEGER as second,
    offered_campaign::SMALLINT as offered_campaign,
    spend_rate,
    favourite_category::TINYINT as favourite_category,
    home_channel::TINYINT as home_channel,
    dropout_probability
from orders
order by order_second, okey`;
}
