/**
 * Orders, their items and their reviews, priced and written out as CSV text in one pass over
 * the order keys (orderKeys.ts), in their order.
 *
 * Each purchase's paid amount is z ~ Gamma(p, rate ν) (the Gamma-Gamma spend model; an induced
 * purchase is topped up to reach its coupon's threshold, as shoppers do to use one), split over
 * its item lines (lines.ts). Amounts come from the lines: paid_amount is the sum of quantity x
 * unit_price, gross_amount = paid_amount + discount_amount. Neither duplicate (cancelled,
 * refunded) carries a discount or coupon.
 *
 * Discounts, first match wins: the campaign coupon a treatment contact redeems (every induced
 * purchase; a natural one in the window w.p. naturalRedemptionShare when it meets the
 * threshold); the platform promotion during 618 (06-01..06-18), 双11 (11-01..11-11) and 双12
 * (12-01..12-12); the new-customer coupon on a first purchase of at least 49.
 */
import type { PlannedCampaign } from "../campaignPlan.ts";
import type { Product } from "../catalog.ts";
import { pick } from "../random.ts";
import { customerId, endSecond, type SqlContext, timestampOf, u } from "./context.ts";
import { csvLiteral, csvRecord, csvRecords } from "./csv.ts";
import { linesCtes, MAX_LINES } from "./lines.ts";
import { createLookups, type Lookups } from "./lookups.ts";
import { ORDER_ROLES, orderId } from "./orderKeys.ts";
import { purchaseHashes, purchasePicks, purchaseUniforms, spendDraw } from "./purchaseDraws.ts";
import { PURCHASE_KEY } from "./purchases.ts";

const S = {
  refundedAfter: 243,
  partialShare: 244,
  partialAfter: 245,
  coupon: 254,
  rating: 500,
  ratingValue: 501,
} as const;
const LINES = Array.from({ length: MAX_LINES }, (_, index) => index + 1);

/**
 * SQL creating `demo_order_lookups` (lookups.ts) and `demo_orders`, one row per order in
 * `demo_order_keys` order: okey, paid_fen (the order's paid amount in fen), item_lines, and
 * the CSV text of the order (order_text), of its items (items_text, one line each) and of its
 * review (review_text, on the first order of a reviewed purchase), with review_second.
 * Strings (statuses, channels, product ids) are carried as numbers and named on output.
 */
export function orderRowsSql(ctx: SqlContext, products: Product[]): string {
  const { params } = ctx;
  const o = params.orders;
  const r = params.reviews;
  const end = endSecond(ctx);
  const { per, off } = o.eventDiscount;
  const ts = (seconds: string) => `${timestampOf(ctx, seconds)}::VARCHAR`;
  // The purchase's number within its customer (purchases.ts PURCHASE_KEY).
  const local = `(pkey % ${PURCHASE_KEY.perCustomer})`;
  const lookups = createLookups();
  const { byCampaign, channelText, statusText, productText, costText, quantityText, eventWord } =
    orderLookups(ctx, products, lookups);
  const weightTotal = `case ${LINES.map(
    (n) =>
      `when items = ${n} then ${LINES.filter((j) => j <= n)
        .map((j) => `weight_${j}`)
        .join(" + ")}`,
  ).join(" ")} end`;
  const redeemed = "offered_campaign is not null and paid_fen + offer_amount_fen >= offer_threshold_fen";
  const lines = linesCtes(ctx, products, lookups, "purchases", "lined");
  const orders = `create or replace table demo_orders as
with keyed as (
    select
        keys.*,
        keys.okey // ${ORDER_ROLES} as pkey,
        keys.okey % ${ORDER_ROLES} as role,
        keys.okey // ${ORDER_ROLES * PURCHASE_KEY.perCustomer} as i,
        lookups.*
    from demo_order_keys as keys
    cross join demo_order_lookups as lookups
),

hashed as (
    select
        *,
        ${spendDraw(ctx, "pkey", "spend_rate")} as spend_draw,
        ${purchaseHashes(ctx, "pkey")}
    from keyed
),

drawn as (
    select
        * exclude (h1, h2, h3, h4, h5),
        ${purchaseUniforms(ctx, "second")},
        ${purchasePicks(ctx, lookups)},
        ${local} >= ${PURCHASE_KEY.induced} as is_induced,
        ${byCampaign("offer_threshold_fen", "INTEGER", (c) => Math.round(c.offer.threshold * 100))} as offer_threshold_fen,
        ${byCampaign("offer_amount_fen", "INTEGER", (c) => Math.round(c.offer.amount * 100))} as offer_amount_fen,
        (${eventWord("second // 86400 // 64 + 1")} >> (second // 86400 % 64)) & 1 = 1 as is_event
    from hashed
),

decided as (
    select
        *,
        -- An induced purchase's offer is its own campaign's: topped up past the threshold.
        if(is_induced, greatest(spend_draw, ${byCampaign("offer_top_up", "DOUBLE", (c) => c.offer.threshold - c.offer.amount + 1)} + 19 * u_top_up), spend_draw)
            as spend,
        if(u_channel_home < ${o.homeChannelShare}, home_channel, channel_draw) as channel,
        if(u_main < 0.7, favourite_category, category_draw) as main_category
    from drawn
),

purchases as (
    select
        *,
        ${weightTotal} as weight_total,
        items >= 2 and u_split < ${o.splitShare} as is_split,
        ${local} = 0 and newcomer_draw as newcomer
    from decided
),

${lines},

discounted as (
    select
        *,
        ${redeemed} as is_redeemed,
        case
            when ${redeemed} then offer_amount_fen
            when is_event then ${off * 100} * (paid_fen // ${per * 100})
            when newcomer and paid_fen >= 4900 then 1000
            else 0
        end as discount_fen,
        -- STATUSES: a purchase's orders are paid or partially refunded; the duplicates are not.
        if(role >= 2, role, (not is_split and u_status < ${o.partialRefundShare})::INTEGER) as status_code,
        if(is_split and role <= 1, if(role = 0, paid_first_child_fen, paid_fen - paid_first_child_fen), paid_fen)
            as order_paid_fen
    from lined
),

amounted as (
    select
        *,
        case
            when role >= 2 then 0
            when not is_split then discount_fen
            -- A split checkout's discount is shared in proportion to the children's amounts
            -- (computed as DECIMAL arithmetic would: the product exact, the quotient a double).
            else round(discount_fen * paid_first_child_fen / 10000 / (paid_fen / 100), 2) * 100
                * if(role = 0, 1, -1) + if(role = 0, 0, discount_fen)
        end::BIGINT as discount_amount_fen,
        case status_code
            when 3 then order_paid_fen
            when 1 then greatest(1, round(order_paid_fen / 100 * (0.2 + 0.5 * ${u(ctx, "pkey", S.partialShare)}) * 100))
            else 0
        end::BIGINT as refunded_fen,
        case status_code
            when 3 then least(${end}, order_second + floor((1 + 13 * ${u(ctx, "pkey", S.refundedAfter)}) * 86400)::BIGINT)
            when 1 then least(${end}, order_second + floor((1 + 13 * ${u(ctx, "pkey", S.partialAfter)}) * 86400)::BIGINT)
        end as refunded_second,
        if(role = 0 and has_review and reviewed_at <= ${end}, reviewed_at, null) as review_second,
        ${orderId("okey")} as order_id,
        ${money("order_paid_fen")} as paid_text
    from discounted
)

select
    okey,
    order_paid_fen as paid_fen,
    (${LINES.map((j) => `in_order_${j}::INTEGER`).join(" + ")}) as item_lines,
    review_second,
    ${csvRecord([
      "order_id",
      `if(is_split and role <= 1, 'PAY' || pkey::VARCHAR, null)`,
      customerId("i"),
      ts("order_second"),
      statusText("status_code + 1"),
      channelText("channel"),
      // Most orders have no discount and no refund: their texts are known without formatting.
      `if(discount_amount_fen = 0, paid_text, ${money("order_paid_fen + discount_amount_fen")})`,
      `if(discount_amount_fen = 0, '0.00', ${money("discount_amount_fen")})`,
      "paid_text",
      `if(refunded_fen = 0, '0.00', ${money("refunded_fen")})`,
      ts("refunded_second"),
      `case
            when role >= 2 then null
            when is_redeemed then 'CP' || lpad(offered_campaign::VARCHAR, 3, '0') || '-'
                || lpad(floor(${u(ctx, "pkey", S.coupon)} * 1000000)::BIGINT::VARCHAR, 6, '0')
            when not is_event and newcomer and paid_fen >= 4900 then 'XINREN10'
        end`,
      `if(role < 2 and is_redeemed, ${byCampaign("campaign_id", "VARCHAR", (c) => csvLiteral(c.campaignId))}, null)`,
    ])} as order_text,
    ${csvRecords(
      LINES.map(
        (j) =>
          `case when in_order_${j} then concat(order_id, ${productText(`product_${j}`)}, ${quantityText(`quantity_${j}`)}, ',', ${money(`price_fen_${j}`)}, ${costText(`product_${j} + cost_missing_${j}::INTEGER * ${products.length}`)}) end`,
      ),
    )} as items_text,
    case when review_second is not null then ${csvRecord([
      "order_id",
      `(case
            when ${u(ctx, "pkey", S.rating)} < ${r.lowRatingBase} + ${r.lowRatingSlope} * dropout_probability
                then if(${u(ctx, "pkey", S.ratingValue)} < 0.6, 1, 2)
            else ${pick(u(ctx, "pkey", S.ratingValue), { 3: 0.1, 4: 0.25, 5: 0.65 }, false)}
        end)::VARCHAR`,
      ts("review_second"),
    ])} end as review_text
from amounted`;
  return `${lookups.tableSql("demo_order_lookups")};\n${orders}`;
}

/** Order statuses by code (0-based): a purchase's own orders, then the duplicates by role. */
const STATUSES = ["paid", "partially_refunded", "cancelled", "refunded"] as const;

/**
 * The lookup lists of the order step, registered in `lookups`: campaign offers by campaign
 * number (`offered_campaign`), texts of channels, statuses, products, costs and quantities,
 * and the promotion days as bits (64 days to a BIGINT word).
 */
function orderLookups(ctx: SqlContext, products: Product[], lookups: Lookups) {
  const campaigns = [...ctx.campaigns].sort((a, b) => a.number - b.number);
  campaigns.forEach((c, index) => {
    if (c.number !== index + 1) throw new Error(`invalid campaign number: ${c.number}`);
  });
  const byCampaign = (name: string, type: string, value: (c: PlannedCampaign) => string | number) =>
    campaigns.length === 0
      ? `null::${type}`
      : lookups.list(
          name,
          campaigns.map((c) => String(value(c))),
          type,
        )("offered_campaign");
  const text = (name: string, values: string[]) =>
    lookups.list(
      name,
      values.map((value) => csvLiteral(value)),
      "VARCHAR",
    );
  const eventWords = Array.from({ length: Math.ceil(ctx.calendar.length / 64) }, (_, word) =>
    ctx.calendar
      .slice(word * 64, word * 64 + 64)
      .reduce((bits, day, bit) => (day.isEvent ? bits | (1n << BigInt(bit)) : bits), 0n),
  );
  return {
    byCampaign,
    channelText: text("channel_text", Object.keys(ctx.params.orders.channels)),
    statusText: text("status_text", [...STATUSES]),
    productText: lookups.list(
      "product_text",
      products.map((p) => csvLiteral(p.product_id, ",", ",")),
      "VARCHAR",
    ),
    // A line's unit cost: the product's, or (the second half) none.
    costText: lookups.list(
      "cost_text",
      [
        ...products.map((p) => csvLiteral(p.unit_cost === null ? "" : p.unit_cost.toFixed(2), ",")),
        ...products.map(() => "','"),
      ],
      "VARCHAR",
    ),
    // Quantities as text: a line holds at most 20 units, four merged lines 80.
    quantityText: text(
      "quantity_text",
      Array.from({ length: 20 * MAX_LINES }, (_, q) => String(q + 1)),
    ),
    eventWord: lookups.list(
      "event_days",
      eventWords.map((word) => String(BigInt.asIntN(64, word))),
      "BIGINT",
    ),
  };
}

/** SQL: the text of an amount in fen, with two decimals (exact: the double rounds back). */
function money(fen: string): string {
  return `((${fen}) / 100)::DECIMAL(18,2)::VARCHAR`;
}
