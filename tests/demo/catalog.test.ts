import { describe, expect, it } from "vitest";
import { buildProducts, CATEGORIES } from "../../src/demo/catalog.ts";

const products = buildProducts(42, 1096);

describe("buildProducts", () => {
  it("has 5 categories x 12 items x 3 variants + 3 new editions per category = 195 products", () => {
    expect(products).toHaveLength(5 * 12 * 3 + 5 * 3);
    expect(new Set(products.map((p) => p.category))).toEqual(new Set(CATEGORIES));
    expect(new Set(products.map((p) => p.product_id)).size).toBe(products.length);
  });

  it("gives every product of a category its own shelf price", () => {
    for (const category of CATEGORIES) {
      const prices = products.filter((p) => p.category === category).map((p) => p.price);
      expect(new Set(prices).size).toBe(prices.length);
    }
  });

  it("launches new editions inside the period, after their predecessor", () => {
    const byId = new Map(products.map((p) => [p.product_id, p]));
    const editions = products.filter((p) => p.predecessorId !== null);
    expect(editions).toHaveLength(15);
    for (const edition of editions) {
      const predecessor = byId.get(edition.predecessorId!)!;
      expect(predecessor.category).toBe(edition.category);
      expect(predecessor.launchedDay).toBeLessThan(0);
      expect(edition.launchedDay).toBeGreaterThanOrEqual(60);
      expect(edition.launchedDay).toBeLessThan(1096 - 60);
      expect(edition.name).toMatch(/20\d\d新款$/);
    }
  });

  it("leaves a few costs unknown and keeps costs below shelf prices", () => {
    const unknown = products.filter((p) => p.unit_cost === null).length;
    expect(unknown).toBeGreaterThan(0);
    expect(unknown).toBeLessThan(products.length * 0.15);
    for (const p of products) if (p.unit_cost !== null) expect(p.unit_cost).toBeLessThan(p.price);
  });

  it("holds names with markup, commas and quotes (the contract allows any text)", () => {
    expect(products.some((p) => p.name.includes("<316不锈钢>"))).toBe(true);
    expect(products.some((p) => p.name.includes('"网红"') && p.name.includes(","))).toBe(true);
  });
});
