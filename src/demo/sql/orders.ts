/**
 * From purchases to orders and items.
 *
 * Each purchase gets its paid amount z ~ Gamma(p, rate ν) (the Gamma-Gamma spend model; an
 * induced purchase is topped up to reach its coupon's threshold, as shoppers do to use one),
 * split over 1 to 4 items by random weights. An item's unit price is its share of z over its
 * quantity, rounded to the fen; its product is the one of its category with the highest shelf
 * price not above that unit price (so prices sit within one price step of the shelf price). So
 * paid_amount is z up to half a fen per unit. Then the untidiness: split checkouts, cancelled
 * duplicates, fully refunded extra orders, partial refunds, coupons and platform discounts.
 */
import { CATEGORIES, CATEGORY_MIX, type Product } from "../catalog.ts";
import { hash64, pick, quarter } from "../random.ts";
import { endSecond, type SqlContext, u } from "./context.ts";

// Streams 243-245, 248 and 254 of the purchase key space are drawn in orderRows.ts.
const S = {
  spend: 220, // .. 225
  hashes: 260, // .. 264
  items: 300,
} as const;

const ITEM_KEY = 8;
const MAX_ITEMS = 4;

/** Creates `demo_purchases`: every purchase (natural, add-on, induced) with its own draws. */
export function purchasesSql(ctx: SqlContext): string {
  const { params } = ctx;
  const o = params.orders;
  const end = endSecond(ctx);
  const key = "all_purchases.pkey";
  const h = (stream: number) => hash64(ctx.seed, key, stream);
  const spend = Array.from({ length: params.spend.p }, (_, j) => u(ctx, key, S.spend + j)).join(" * ");
  if (!Number.isInteger(params.spend.p) || params.spend.p > 10)
    throw new Error(`invalid spend shape: ${params.spend.p}`);
  return `create or replace table demo_purchases as
with all_purchases as (
    select pkey, i, kind, second, null::INTEGER as campaign_number from demo_natural_purchases
    union all
    select pkey, i, kind, second, campaign_number from demo_induced_purchases
),

hashed as (
    select
        all_purchases.*,
        customers.acquisition_channel,
        customers.favourite_category,
        -- Gamma(p, rate ν) with an integer p: the sum of p exponentials.
        -ln(${spend}) / customers.spend_rate as spend_draw,
        -- Coarse (16-bit) draws, four per hash: see random.ts quarter().
        ${h(S.hashes)} as h1,
        ${h(S.hashes + 1)} as h2,
        ${h(S.hashes + 2)} as h3,
        ${h(S.hashes + 3)} as h4,
        ${h(S.hashes + 4)} as h5
    from all_purchases
    inner join demo_customers as customers on customers.i = all_purchases.i
),

drawn as (
    select
        * exclude (h1, h2, h3, h4, h5),
        ${quarter("h1", 0)} as u_top_up,
        ${quarter("h1", 1)} as u_channel_home,
        ${quarter("h1", 2)} as u_channel,
        ${quarter("h1", 3)} as u_items,
        ${quarter("h2", 0)} as u_main,
        ${quarter("h2", 1)} as u_main_draw,
        ${quarter("h2", 2)} as u_split,
        ${quarter("h2", 3)} as u_status,
        ${quarter("h3", 0)} < ${o.newcomerCouponShare} as newcomer_draw,
        ${quarter("h3", 1)} < ${o.cancelledShare} as has_cancelled,
        ${quarter("h3", 2)} < ${o.refundedShare} as has_refunded,
        ${quarter("h3", 3)} < ${params.reviews.share} as has_review,
        ${[0, 1, 2, 3].map((j) => `0.5 + ${quarter("h4", j as 0 | 1 | 2 | 3)} as weight_${j + 1}`).join(",\n        ")},
        second + 600 + floor(${quarter("h5", 0)} * 85800)::BIGINT as cancelled_at,
        second + 86400 + floor(${quarter("h5", 1)} * 29 * 86400)::BIGINT as refunded_at,
        second + floor((1 + 9 * ${quarter("h5", 2)}) * 86400)::BIGINT as reviewed_at
    from hashed
),

decided as (
    select
        drawn.*,
        case when drawn.campaign_number is not null then greatest(
            spend_draw, campaigns.threshold - campaigns.amount + 1 + 19 * u_top_up
        ) else spend_draw end as spend,
        case when u_channel_home < ${o.homeChannelShare}
            then (case when acquisition_channel = 'referral' then 'wechat' else acquisition_channel end)
            else ${pick("u_channel", o.channels)} end as channel,
        ${pick("u_items", o.itemsPerPurchase, false)} as items,
        case when u_main < 0.7 then favourite_category else ${pick("u_main_draw", CATEGORY_MIX)} end as main_category
    from drawn
    left join demo_campaigns as campaigns on campaigns.number = drawn.campaign_number
)

select
    pkey, i, kind, second, campaign_number, spend, channel, items, main_category,
    weight_1, weight_2, weight_3, weight_4,
    case ${Array.from({ length: MAX_ITEMS }, (_, n) => `when items = ${n + 1} then ${Array.from({ length: n + 1 }, (_, j) => `weight_${j + 1}`).join(" + ")}`).join(" ")} end as weight_total,
    items >= 2 and u_split < ${o.splitShare} as is_split,
    case when not (items >= 2 and u_split < ${o.splitShare}) and u_status < ${o.partialRefundShare}
        then 'partially_refunded' else 'paid' end as status,
    kind = 'first' and newcomer_draw as newcomer,
    case when has_cancelled and cancelled_at <= ${end} then cancelled_at end as cancelled_second,
    case when has_refunded and refunded_at <= ${end - 86_400} then refunded_at end as refunded_second,
    case when has_review and reviewed_at <= ${end} then reviewed_at end as review_second
from decided`;
}

/**
 * Creates `demo_items` (pkey, line, child, has_cancelled, has_refunded, product_id, quantity,
 * unit_price, unit_cost); split children are 1 and 2; the flags say which duplicates repeat
 * them. Two lines may share product and price: output.ts merges them per order.
 */
export function itemsSql(ctx: SqlContext, products: Product[]): string {
  const { params } = ctx;
  const key = `pkey * ${ITEM_KEY} + line`;
  const bound = (pickPrice: (prices: number[]) => number, column: string) =>
    `case ${column} ${CATEGORIES.map((category) => {
      const prices = products.filter((p) => p.category === category).map((p) => p.price);
      return `when '${category}' then ${pickPrice(prices)}`;
    }).join(" ")} end`;
  return `create or replace table demo_product_lookup as
-- One row per product, with what is sold in its place before its launch.
select
    products.category,
    products.price,
    products.launched_day * 86400 as launched_second,
    products.product_id,
    products.unit_cost,
    predecessors.product_id as predecessor_id,
    predecessors.unit_cost as predecessor_unit_cost
from demo_products as products
left join demo_products as predecessors on predecessors.product_id = products.predecessor_id;

create or replace table demo_items as
with lines as (
    select
        pkey, second, items, is_split, main_category,
        cancelled_second is not null as has_cancelled,
        refunded_second is not null as has_refunded,
        line,
        spend * (case line when 1 then weight_1 when 2 then weight_2 when 3 then weight_3 else weight_4 end)
            / weight_total as line_total,
        ${hash64(ctx.seed, key, S.items)} as h
    from (select *, unnest(range(1, items + 1)) as line from demo_purchases)
),

drawn_lines as (
    select
        * exclude (h),
        ${quarter("h", 0)} as u_category,
        ${quarter("h", 1)} as u_category_draw,
        ${quarter("h", 2)} as u_quantity,
        ${quarter("h", 3)} as u_cost_missing
    from lines
),

categorised as (
    select
        *,
        case when line = 1 or u_category < 0.5 then main_category else ${pick("u_category_draw", CATEGORY_MIX)} end
            as drawn_category,
        ${pick("u_quantity", params.orders.quantity, false)} as drawn_quantity
    from drawn_lines
),

-- A unit price below the category's cheapest shelf price moves the item to 食品 (snacks are
-- cheap); one above its dearest raises the quantity (up to 20) instead.
fitted as (
    select
        *,
        case when line_total / drawn_quantity < ${bound((prices) => Math.min(...prices), "drawn_category")}
            then '食品' else drawn_category end as category
    from categorised
),

priced as (
    select
        *,
        greatest(drawn_quantity, least(20, ceil(line_total / ${bound((prices) => Math.max(...prices), "category")})))::INTEGER
            as quantity
    from fitted
),

unit_priced as (
    select *, greatest(0.01, round(line_total / quantity, 2))::DECIMAL(18,2) as unit_price from priced
),

matched as (
    select
        shelved.*,
        lookup.launched_second,
        lookup.product_id as shelf_product_id,
        lookup.unit_cost as shelf_unit_cost,
        lookup.predecessor_id,
        lookup.predecessor_unit_cost
    from (select *, ${shelfProduct(products, "category", "unit_price")} as shelf_product from unit_priced) as shelved
    inner join demo_product_lookup as lookup on lookup.product_id = shelved.shelf_product
)

select
    pkey,
    line,
    case when is_split and line > (items + 1) // 2 then 2 else 1 end as child,
    has_cancelled,
    has_refunded,
    -- Before its launch, a new edition's predecessor is sold in its place.
    case when launched_second > second then predecessor_id else shelf_product_id end as product_id,
    quantity,
    unit_price,
    case
        when u_cost_missing < ${params.orders.itemCostMissingShare} then null
        when launched_second > second then predecessor_unit_cost
        else shelf_unit_cost
    end as unit_cost
from matched`;
}

/**
 * SQL: the product of the category in `categoryColumn` with the highest shelf price not above
 * `price` (the cheapest one below all), as a binary search over the sorted shelf prices: about
 * six comparisons per row instead of a join.
 */
export function shelfProduct(products: Product[], categoryColumn: string, price: string): string {
  const search = (ladder: Product[], lo: number, hi: number): string => {
    if (lo === hi) return `'${ladder[lo]!.product_id}'`;
    const mid = Math.ceil((lo + hi) / 2);
    return `(case when ${price} >= ${ladder[mid]!.price} then ${search(ladder, mid, hi)} else ${search(ladder, lo, mid - 1)} end)`;
  };
  const whens = CATEGORIES.map((category) => {
    const ladder = products.filter((p) => p.category === category).sort((a, b) => a.price - b.price);
    return `when '${category}' then ${search(ladder, 0, ladder.length - 1)}`;
  });
  return `(case ${categoryColumn} ${whens.join(" ")} end)`;
}
