/**
 * The item lines of a purchase, as columns of its row: line j (1 to 4) exists when j <= items.
 * Keeping them as columns, rather than a row per line, spares a 15-million-row table, a
 * grouping per purchase to total it and a join back at 10 million orders.
 *
 * A purchase's paid amount z is split over its lines by random weights. A line's unit price is
 * its share of z over its quantity, rounded to the fen; its product is the one of its category
 * with the highest shelf price not above that unit price (so prices sit within one price step
 * of the shelf price). A unit price below the category's cheapest shelf price moves the line to
 * 食品 (snacks are cheap); one above its dearest raises the quantity (up to 20) instead.
 * Before its launch, a new edition's predecessor is sold in its place.
 *
 * Prices are integers in fen here. Categorical draws and per-category and per-product values
 * are lists of a lookup table (lookups.ts; a list read costs a fraction of a CASE), and the
 * costlier SQL of a line beyond the first is wrapped in `case when items >= j`.
 */
import { CATEGORIES, CATEGORY_NUMBER_MIX, type Product } from "../catalog.ts";
import { hash64, quarter, quarterIndex } from "../random.ts";
import type { SqlContext } from "./context.ts";
import { type Lookups, pickLookup } from "./lookups.ts";

/** Lines per purchase at most (the keys of `itemsPerPurchase`). */
export const MAX_LINES = 4;
const LINE_KEY = 8;
const S = { lines: 300 } as const;
const LINES = Array.from({ length: MAX_LINES }, (_, index) => index + 1);
const SNACKS = CATEGORIES.indexOf("食品");

/** A shelf price in fen. */
function fen(product: Product): number {
  return Math.round(product.price * 100);
}

/**
 * The shelf lookup: the product number (1-based position in `products`) of a category with the
 * highest shelf price not above a unit price (the cheapest one below all), in two steps so the
 * list is read once: `bucket(category, priceFen)` is a BIGINT to select as a column, and
 * `product(bucketColumn, priceFen)` the product number. The prices of a category are cut into
 * buckets narrower than the smallest gap between two of its shelf prices, so a bucket holds at
 * most one shelf price; a bucket's entry packs the product below that price, the product from
 * it on, and the price. NULL when the category or the price is.
 */
export function shelfLookup(
  products: Product[],
  lookups: Lookups,
): {
  bucket: (category: string, priceFen: string) => string;
  product: (bucket: string, priceFen: string) => string;
} {
  if (products.length >= 256) throw new Error(`invalid catalogue: ${products.length} products`);
  const ladders = CATEGORIES.map((name) =>
    products
      .map((product, index) => ({ product, fen: fen(product), number: index + 1 }))
      .filter(({ product }) => product.category === name)
      .sort((a, b) => a.fen - b.fen),
  );
  const gaps = ladders.flatMap((ladder) => ladder.slice(1).map((entry, k) => entry.fen - ladder[k]!.fen));
  const width = Math.min(...gaps);
  if (!(width >= 1)) throw new Error("invalid catalogue: two products of a category share a shelf price");
  const offsets: number[] = [];
  const caps: number[] = [];
  const packed: string[] = [];
  for (const ladder of ladders) {
    if (ladder.length === 0) throw new Error("invalid catalogue: a category without products");
    offsets.push(packed.length);
    const cap = Math.floor(ladder.at(-1)!.fen / width);
    caps.push(cap);
    for (let bucket = 0; bucket <= cap; bucket++) {
      const start = bucket * width;
      const below = ladder.filter((entry) => entry.fen <= start).length;
      const low = ladder[Math.max(below - 1, 0)]!.number;
      const inside = ladder.find((entry) => entry.fen > start && entry.fen < start + width);
      // A bucket without a shelf price inside compares with a price past every unit price.
      const boundary = inside ? inside.fen : 2 ** 40;
      packed.push(String((BigInt(boundary) << 16n) | (BigInt(inside?.number ?? low) << 8n) | BigInt(low)));
    }
  }
  const bucketEntry = lookups.list("shelf_buckets", packed, "BIGINT");
  const offset = lookups.list("shelf_bucket_offsets", offsets, "INTEGER");
  const cap = lookups.list("shelf_bucket_caps", caps, "BIGINT");
  return {
    bucket: (category, priceFen) =>
      bucketEntry(
        `${offset(`${category} + 1`)} + least(${priceFen} // ${width}, ${cap(`${category} + 1`)}) + 1`,
      ),
    product: (bucket, priceFen) =>
      `(${bucket} & 255) + (${priceFen} >= (${bucket} >> 16))::INTEGER * (((${bucket} >> 8) & 255) - (${bucket} & 255))`,
  };
}

/**
 * CTEs turning `source` (one row per order: pkey, second, role, spend, items, is_split,
 * main_category, weight_1..4, weight_total) into `target`, adding per line j: in_order_j (the
 * line belongs to this order and is written), quantity_j (duplicates merged in), price_fen_j,
 * product_j, cost_missing_j; and paid_fen and paid_first_child_fen, the purchase's total and
 * its first child's (all lines, whatever the order's role). Lines after the first are
 * computed only where they exist, under `case when items >= j` (NULL elsewhere): a CASE
 * evaluates its branch on those rows only, which costs less than computing every line.
 */
export function linesCtes(
  ctx: SqlContext,
  products: Product[],
  lookups: Lookups,
  source: string,
  target: string,
): string {
  const o = ctx.params.orders;
  const when = (j: number, expression: string) =>
    j === 1 ? expression : `case when items >= ${j} then ${expression} end`;
  const each = (column: (j: number) => string) => LINES.map(column).join(",\n        ");
  // Shelf prices in yuan, as doubles: the comparisons below are the ones of the spend model.
  const byCategory = (value: (prices: number[]) => number) =>
    CATEGORIES.map((category) => value(products.filter((p) => p.category === category).map((p) => p.price)));
  const predecessor = products.map((p, index) => {
    const found = products.findIndex((q) => q.product_id === p.predecessorId);
    return (found >= 0 ? found : index) + 1;
  });
  const shelf = shelfLookup(products, lookups);
  // Categorical draws read tables of their 16-bit uniform (lookups.ts pickLookup): no CASE.
  const categoryDraw = pickLookup(lookups, "category", CATEGORY_NUMBER_MIX, "INTEGER");
  const quantityDraw = pickLookup(lookups, "quantity", o.quantity, "INTEGER");
  const cheapest = lookups.list(
    "cheapest_price",
    byCategory((prices) => Math.min(...prices)),
    "DOUBLE",
  );
  const dearest = lookups.list(
    "dearest_price",
    byCategory((prices) => Math.max(...prices)),
    "DOUBLE",
  );
  const launched = lookups.list(
    "launched_second",
    products.map((p) => p.launchedDay * 86_400),
    "BIGINT",
  );
  const predecessorOf = lookups.list("predecessor", predecessor, "INTEGER");
  // A child takes the lines of its half of the purchase: the first ceil(items / 2), then the rest.
  const secondChild = (j: number) => `(is_split and ${j} > (items + 1) // 2)`;
  // Lines of one order with the same product, price and cost are one line (quantities summed):
  // an exact duplicate line would load once (raw-data contract). The product is a function of
  // the category and the price (at the purchase's time), and its cost is known or not, so a
  // key of those three is equal for two lines exactly when they would be one line. A line not
  // in this order gets a key of its own (-j). The first two roles split the lines between the
  // children; the duplicates (roles 2 and 3) hold them all.
  // A purchase of one line has nothing to merge: its keys are NULL.
  const inOrder = (j: number) => `(items >= ${j} and (role >= 2 or ${secondChild(j)} = (role = 1)))`;
  const key = (j: number) =>
    `case when items >= 2 then if(${inOrder(j)}, category_${j} * 4398046511104 + price_fen_${j} * 2 + cost_missing_${j}::INTEGER, -${j}) end`;
  const earlier = (j: number) => LINES.filter((a) => a < j);
  const later = (j: number) => LINES.filter((b) => b > j);
  const amount = (j: number) => `coalesce(quantity_${j} * price_fen_${j}, 0)`;
  const merged = (j: number) => {
    if (j === MAX_LINES) return `quantity_${j}`;
    const sum = [
      `quantity_${j}`,
      ...later(j).map((b) => `coalesce((line_key_${b} = line_key_${j})::INTEGER * quantity_${b}, 0)`),
    ];
    return `case when items >= ${Math.max(j, 2)} then ${sum.join(" + ")}${j === 1 ? " else quantity_1" : ""} end`;
  };
  return `${target}_drawn as (
    select
        *,
        ${each((j) => `${when(j, hash64(ctx.seed, `pkey * ${LINE_KEY} + ${j}`, S.lines))} as line_hash_${j}`)},
        ${each((j) => `${when(j, `spend * weight_${j} / weight_total`)} as line_total_${j}`)}
    from ${source}
),

${target}_coarse as (
    -- Coarse (16-bit) draws, four per hash: see random.ts quarter(). NULL for absent lines.
    select
        * exclude (${LINES.map((j) => `line_hash_${j}`).join(", ")}),
        ${each((j) => `${quarter(`line_hash_${j}`, 0)} as u_category_${j}`)},
        ${each((j) => `${categoryDraw(quarterIndex(`line_hash_${j}`, 1))} as category_draw_${j}`)},
        ${each((j) => `${quantityDraw(quarterIndex(`line_hash_${j}`, 2))} as drawn_quantity_${j}`)},
        ${each((j) => `${quarter(`line_hash_${j}`, 3)} < ${o.itemCostMissingShare} as cost_missing_${j}`)}
    from ${target}_drawn
),

${target}_categorised as (
    select
        *,
        -- The first line is of the main category; another one is w.p. 1/2, else a draw.
        ${each((j) => `${j === 1 ? "main_category" : `if(u_category_${j} < 0.5, main_category, category_draw_${j})`} as drawn_category_${j}`)}
    from ${target}_coarse
),

${target}_fitted as (
    select
        *,
        ${each((j) => `${when(j, `if(line_total_${j} / drawn_quantity_${j} < ${cheapest(`drawn_category_${j} + 1`)}, ${SNACKS}, drawn_category_${j})`)} as category_${j}`)}
    from ${target}_categorised
),

${target}_priced as (
    select
        *,
        -- greatest() and least() skip NULLs: the quantity of an absent line must stay NULL.
        ${each((j) => `${when(j, `greatest(drawn_quantity_${j}, least(20, ceil(line_total_${j} / ${dearest(`category_${j} + 1`)})))::INTEGER`)} as quantity_${j}`)}
    from ${target}_fitted
),

${target}_shelved as (
    select
        *,
        -- round(x * 100) is the fen of DuckDB's round(x, 2).
        ${each((j) => `${when(j, `greatest(1, round(line_total_${j} / quantity_${j} * 100))::BIGINT`)} as price_fen_${j}`)}
    from ${target}_priced
),

${target}_bucketed as (
    select *, ${each((j) => `${when(j, shelf.bucket(`category_${j}`, `price_fen_${j}`))} as shelf_bucket_${j}`)}
    from ${target}_shelved
),

${target}_matched as (
    select
        * exclude (${LINES.map((j) => `shelf_bucket_${j}`).join(", ")}),
        ${each((j) => `${shelf.product(`shelf_bucket_${j}`, `price_fen_${j}`)} as shelf_${j}`)},
        ${LINES.map(amount).join(" + ")} as paid_fen,
        ${each((j) => `${key(j)} as line_key_${j}`)}
    from ${target}_bucketed
),

${target} as (
    -- Before its launch, a new edition's predecessor is sold in its place. A line is written
    -- unless an earlier line has its key; the first such line takes the later ones' quantities.
    -- Only a purchase of several lines can merge, and only a split one has a first child that
    -- differs from the whole.
    select
        * exclude (${LINES.map((j) => `shelf_${j}`).join(", ")})
            replace (${LINES.map((j) => `${merged(j)} as quantity_${j}`).join(", ")}),
        ${each((j) => `shelf_${j} + (second < ${launched(`shelf_${j}`)})::INTEGER * (${predecessorOf(`shelf_${j}`)} - shelf_${j}) as product_${j}`)},
        ${each((j) =>
          j === 1
            ? `${inOrder(1)} as in_order_1`
            : `coalesce(line_key_${j} >= 0${earlier(j)
                .map((a) => ` and line_key_${a} <> line_key_${j}`)
                .join("")}, false) as in_order_${j}`,
        )},
        if(is_split, ${LINES.map((j) => `if(${secondChild(j)}, 0, ${amount(j)})`).join(" + ")}, paid_fen) as paid_first_child_fen
    from ${target}_matched
)`;
}
