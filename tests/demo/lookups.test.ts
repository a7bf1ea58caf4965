/**
 * The generated lookups that replace joins and CASEs: the day of a clock position (bucket
 * lists), the product at a unit price (shelf buckets), and categorical draws read from a table
 * of their 16-bit uniform, each checked against a plain linear search in TypeScript over the
 * same calendar, catalogue and mix; and the one-row lookup table they live in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCalendar, sqlDouble } from "../../src/demo/calendar.ts";
import { buildProducts, CATEGORIES, type Product } from "../../src/demo/catalog.ts";
import { defaultParameters } from "../../src/demo/parameters.ts";
import { pickAtLeast, quarter, quarterIndex } from "../../src/demo/random.ts";
import { clockDay, type SqlContext } from "../../src/demo/sql/context.ts";
import { shelfLookup } from "../../src/demo/sql/lines.ts";
import { createLookups, pickLookup } from "../../src/demo/sql/lookups.ts";
import type { Adapter } from "../../src/engine/adapters/adapter.ts";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";

const calendar = buildCalendar("2023-01-01", "2025-12-31", 1);
// Only the calendar matters to clockDay.
const ctx = { calendar } as SqlContext;
let db: Adapter;

beforeAll(async () => {
  db = await openDuckDB(":memory:");
});
afterAll(async () => {
  await db.close();
});

describe("clockDay", () => {
  for (const clock of ["g", "a"] as const) {
    it(`finds the day of any position on the ${clock.toUpperCase()} clock, as a linear search does`, async () => {
      const lookups = createLookups();
      const day = clockDay(ctx, lookups, clock, "x");
      await db.execute(lookups.tableSql("test_lookups"));
      const starts = calendar.map((d) => (clock === "g" ? d.intensityBefore : d.acquisitionBefore));
      const last = calendar.at(-1)!;
      const total =
        clock === "g" ? last.intensityBefore + last.intensity : last.acquisitionBefore + last.acquisition;
      // Every day start, a hair before and after it, and the middle of every day.
      const positions = starts.flatMap((start, d) => {
        const next = starts[d + 1] ?? total;
        return [start, Math.max(0, start - 1e-9), start + 1e-9, (start + next) / 2].filter((x) => x < total);
      });
      const linear = (x: number) => starts.findLastIndex((start) => start <= x);
      const { rows } = await db.query(
        `select x, ${day} as day
         from unnest([${positions.map(sqlDouble).join(", ")}]) as t(x)
         cross join test_lookups`,
      );
      expect(rows).toHaveLength(positions.length);
      for (const row of rows) expect(row.day, String(row.x)).toBe(linear(Number(row.x)));
    });
  }
});

describe("shelfLookup", () => {
  const products = buildProducts(42, calendar.length);

  it("picks the product with the highest shelf price not above the unit price (else the cheapest)", async () => {
    const linear = (category: string, fen: number): string => {
      const ladder = products.filter((p) => p.category === category).sort((a, b) => a.price - b.price);
      const below = ladder.filter((p) => Math.round(p.price * 100) <= fen);
      return (below.at(-1) ?? ladder[0]!).product_id;
    };
    // Each shelf price, a fen either side of it, and prices below and above the range.
    const cases = CATEGORIES.flatMap((category, number) => {
      const prices = products
        .filter((p: Product) => p.category === category)
        .map((p) => Math.round(p.price * 100));
      return [...prices.flatMap((fen) => [fen - 1, fen, fen + 1]), 1, 9_999_999].map((fen) => ({
        category,
        number,
        fen,
      }));
    });
    const lookups = createLookups();
    const shelf = shelfLookup(products, lookups);
    await db.execute(lookups.tableSql("test_lookups"));
    const values = cases.map((c) => `(${c.number}, ${c.fen}::BIGINT)`).join(", ");
    const { rows } = await db.query(
      `select category, fen, ${shelf.product("bucket", "fen")} as product
       from (select *, ${shelf.bucket("category", "fen")} as bucket
             from (values ${values}) as t(category, fen) cross join test_lookups)`,
    );
    expect(rows).toHaveLength(cases.length);
    for (const row of rows) {
      const product = products[Number(row.product) - 1]!;
      expect(product.product_id, `${row.category} ${row.fen}`).toBe(
        linear(CATEGORIES[Number(row.category)]!, Number(row.fen)),
      );
    }
  });
});

describe("pickLookup", () => {
  it("draws, for every 16-bit uniform, what pick() draws (quantity: 1 below 0.85, 2 below 0.97, else 3)", async () => {
    const lookups = createLookups();
    const quantity = pickLookup(lookups, "quantity", defaultParameters.orders.quantity, "INTEGER");
    await db.execute(lookups.tableSql("test_lookups"));
    // A hash whose low 16 bits are k: quarter() reads u = (k + 0.5) / 65536 from it.
    const { rows } = await db.query(
      `select k, ${quantity(quarterIndex("k::UBIGINT", 0))} as drawn, ${quarter("k::UBIGINT", 0)} as u
       from range(65536) as t(k) cross join test_lookups order by k`,
    );
    expect(rows).toHaveLength(65_536);
    // The linear search over the cumulative shares {1: 0.85, 2: 0.12, 3: 0.03}.
    const expected = (u: number) => (u < 0.85 ? 1 : u < 0.85 + 0.12 ? 2 : 3);
    let mismatches = 0;
    for (const row of rows) if (row.drawn !== expected(Number(row.u))) mismatches++;
    expect(mismatches).toBe(0);
    // 0.85 x 65536 = 55705.6: k = 55705 is the last 1 (u = 55705.5 / 65536 < 0.85).
    expect(rows[55_705]!.drawn).toBe(1);
    expect(rows[55_706]!.drawn).toBe(2);
  });

  it("tests whether a draw reaches a value with one comparison (items: 2 or more from 0.55 on)", async () => {
    const mix = defaultParameters.orders.itemsPerPurchase;
    const { rows } = await db.query(
      `select ${pickAtLeast("0.5499", mix, 2)} as below, ${pickAtLeast("0.55", mix, 2)} as at,
         ${pickAtLeast("0.9", mix, 4)} as three, ${pickAtLeast("0.95", mix, 4)} as four,
         ${pickAtLeast("0.1", mix, 1)} as always`,
    );
    // Cumulative shares: 1 below 0.55, 2 below 0.82, 3 below 0.94, 4 from 0.94 on.
    expect(rows[0]).toEqual({ below: false, at: true, three: false, four: true, always: true });
  });
});

describe("createLookups", () => {
  it("holds every list in one row and reads entries 1-based", async () => {
    const lookups = createLookups();
    const squares = lookups.list("squares", [1, 4, 9], "INTEGER");
    const names = lookups.list("names", ["'a'", "NULL", "'c'"], "VARCHAR");
    // The same list registered twice is one column; a different one under the same name is an error.
    expect(lookups.list("squares", [1, 4, 9], "INTEGER")("2")).toBe(squares("2"));
    expect(() => lookups.list("squares", [1, 4, 16], "INTEGER")).toThrow(/registered twice/);
    expect(() => lookups.list("Bad name", [1], "INTEGER")).toThrow(/invalid lookup name/);
    await db.execute(lookups.tableSql("test_lookups"));
    const { rows } = await db.query(
      `select count(*) over () as n, ${squares("3")} as nine, ${names("2")} as missing, ${names("3")} as c from test_lookups`,
    );
    expect(rows).toEqual([{ n: 1, nine: 9, missing: null, c: "c" }]);
  });
});
