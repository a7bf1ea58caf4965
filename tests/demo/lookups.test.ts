/**
 * The generated lookups that replace joins: the day of a clock position (bucket table) and the
 * product at a unit price (binary-search CASE), each checked against a plain linear search in
 * TypeScript over the same calendar and catalogue.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketsSql, buildCalendar, calendarSql, sqlDouble } from "../../src/demo/calendar.ts";
import { buildProducts, CATEGORIES, type Product } from "../../src/demo/catalog.ts";
import { shelfProduct } from "../../src/demo/sql/orders.ts";
import type { Adapter } from "../../src/engine/adapters/adapter.ts";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";

const calendar = buildCalendar("2023-01-01", "2025-12-31", 1);
let db: Adapter;

beforeAll(async () => {
  db = await openDuckDB(":memory:");
  await db.execute(calendarSql(calendar));
});
afterAll(async () => {
  await db.close();
});

describe("bucketsSql", () => {
  for (const clock of ["g", "a"] as const) {
    it(`finds the day of any position on the ${clock.toUpperCase()} clock, as a linear search does`, async () => {
      const { sql, width } = bucketsSql(calendar, clock);
      await db.execute(sql);
      const starts = calendar.map((day) => (clock === "g" ? day.intensityBefore : day.acquisitionBefore));
      const last = calendar.at(-1)!;
      const total =
        clock === "g" ? last.intensityBefore + last.intensity : last.acquisitionBefore + last.acquisition;
      // Every day start, a hair before and after it, and the middle of every day.
      const positions = starts.flatMap((start, day) => {
        const next = starts[day + 1] ?? total;
        return [start, Math.max(0, start - 1e-9), start + 1e-9, (start + next) / 2].filter((x) => x < total);
      });
      const linear = (x: number) => starts.findLastIndex((start) => start <= x);
      const { rows } = await db.query(
        `select x, case when x < buckets.boundary then buckets.first_day else buckets.first_day + 1 end as day
         from unnest([${positions.map(sqlDouble).join(", ")}]) as t(x)
         inner join demo_${clock}_buckets as buckets on buckets.bucket = floor(x / ${sqlDouble(width)})::BIGINT`,
      );
      expect(rows).toHaveLength(positions.length);
      for (const row of rows) expect(row.day, String(row.x)).toBe(linear(Number(row.x)));
    });
  }
});

describe("shelfProduct", () => {
  const products = buildProducts(42, calendar.length);

  it("picks the product with the highest shelf price not above the unit price (else the cheapest)", async () => {
    const linear = (category: string, price: number): string => {
      const ladder = products.filter((p) => p.category === category).sort((a, b) => a.price - b.price);
      const below = ladder.filter((p) => p.price <= price);
      return (below.at(-1) ?? ladder[0]!).product_id;
    };
    // Each shelf price, a fen either side of it, and prices below and above the range.
    const cases = CATEGORIES.flatMap((category) => {
      const prices = products.filter((p: Product) => p.category === category).map((p) => p.price);
      return [...prices.flatMap((price) => [price - 0.01, price, price + 0.01]), 0.01, 99_999].map(
        (price) => ({
          category,
          price: Math.round(price * 100) / 100,
        }),
      );
    });
    const values = cases.map((c) => `('${c.category}', ${c.price}::DECIMAL(18,2))`).join(", ");
    const { rows } = await db.query(
      `select category, price, ${shelfProduct(products, "category", "price")} as product_id
       from (values ${values}) as t(category, price)`,
    );
    expect(rows).toHaveLength(cases.length);
    for (const row of rows) {
      expect(row.product_id, `${row.category} ${row.price}`).toBe(
        linear(String(row.category), Number(row.price)),
      );
    }
  });
});
