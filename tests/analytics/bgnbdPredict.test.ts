import { describe, expect, it } from "vitest";
import {
  conditionalExpectedPurchases,
  conditionalExpectedPurchasesOf,
  expectedPurchases,
  pAlive,
} from "../../src/analytics/bgnbdPredict.ts";

// FHL (2005) estimates on CDNOW, weeks.
const cdnow = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe("pAlive", () => {
  it("x = 2, t_x = 30.43, T = 38.86 by hand", () => {
    // 1 / (1 + (a/(b+x-1)) ((α+T)/(α+t_x))^(r+x))
    // a/(b+1) = 0.793/3.426 = 0.2314652656; (43.274/34.844)^2.243 = 1.2419354839^2.243 = 1.6258073
    // 1 / (1 + 0.2314652656 × 1.6258073) = 1 / 1.3763180 = 0.726578...; mpmath: 0.726578570080673
    expect(pAlive(cdnow, { frequency: 2, recency: 30.43, T: 38.86 })).toBeCloseTo(0.726578570080673, 13);
    expect(pAlive(cdnow, { frequency: 1, recency: 1.71, T: 38.86 })).toBeCloseTo(0.2121009853773791, 13);
    expect(pAlive(cdnow, { frequency: 5, recency: 10, T: 38.86 })).toBeCloseTo(0.024804366168778527, 13);
  });

  it("is exactly 1 for a customer without repeat purchases, however old", () => {
    expect(pAlive(cdnow, { frequency: 0, recency: 0, T: 38.86 })).toBe(1);
    expect(pAlive(cdnow, { frequency: 0, recency: 0, T: 1e9 })).toBe(1);
  });

  it("is exactly 0 without overflow for x = 1000, t_x = 10, T = 100", () => {
    // mpmath: 8.28e-858, below the smallest double; (110.414/14.414)^1000.243 overflows a double.
    const p = pAlive(cdnow, { frequency: 1000, recency: 10, T: 100 });
    expect(p).toBe(0);
    expect(conditionalExpectedPurchases(cdnow, { frequency: 1000, recency: 10, T: 100 }, 39)).toBe(0);
  });

  it("is 1/(1 + a/(b+x-1)) when the last purchase was just now (t_x = T)", () => {
    // ((α+T)/(α+t_x))^(r+x) = 1: 1/(1 + 0.793/(2.426+9)) = 11.426/12.219 = 0.93510107...
    expect(pAlive(cdnow, { frequency: 10, recency: 20, T: 20 })).toBeCloseTo(11.426 / 12.219, 14);
  });

  it("rejects summaries no history produces", () => {
    expect(() => pAlive(cdnow, { frequency: 1.5, recency: 1, T: 2 })).toThrow(/invalid frequency/);
    expect(() => pAlive(cdnow, { frequency: 2, recency: 3, T: 2 })).toThrow(/invalid recency/);
  });
});

describe("conditional expected purchases", () => {
  it("FHL (2005): x = 2, t_x = 30.43, T = 38.86 over 39 weeks is 1.226", () => {
    // P(alive) × M = 0.726578570080673 × 1.687399305805313 (mpmath) = 1.2260282...
    const e = conditionalExpectedPurchases(cdnow, { frequency: 2, recency: 30.43, T: 38.86 }, 39);
    expect(e.toFixed(3)).toBe("1.226");
    expect(e).toBeCloseTo(0.726578570080673 * 1.687399305805313, 10);
  });

  it("a new customer's E[X(t)] is the x = 0, T = 0 case", () => {
    // mpmath: 1.196723193320817 for t = 39 weeks.
    expect(expectedPurchases(cdnow, 39)).toBeCloseTo(1.196723193320817, 10);
    expect(expectedPurchases(cdnow, 0)).toBe(0);
  });

  it("is the same in days and weeks (α and all times × 7)", () => {
    const days = { ...cdnow, alpha: cdnow.alpha * 7 };
    for (const [x, tx, T] of [
      [0, 0, 38.86],
      [2, 30.43, 38.86],
      [7, 35, 37],
      [40, 1, 2],
    ] as const) {
      const weeks = conditionalExpectedPurchases(cdnow, { frequency: x, recency: tx, T }, 52);
      const inDays = conditionalExpectedPurchases(days, { frequency: x, recency: tx * 7, T: T * 7 }, 364);
      expect(Math.abs(inDays - weeks)).toBeLessThan(1e-12 * Math.max(1, weeks));
      const pw = pAlive(cdnow, { frequency: x, recency: tx, T });
      expect(Math.abs(pAlive(days, { frequency: x, recency: tx * 7, T: T * 7 }) - pw)).toBeLessThan(1e-14);
    }
  });
});

describe("conditionalExpectedPurchasesOf", () => {
  it("gives each customer exactly what conditionalExpectedPurchases gives, with shared (x, T)", () => {
    const expected = conditionalExpectedPurchasesOf(cdnow);
    // Same (x, T) with different t_x (the remembered hypergeometric part is reused), the same
    // (x, T) at another horizon (not reused), x = 0, and P(alive) exactly 0 (x = 1000).
    const cases: [number, number, number, number][] = [
      [2, 30.43, 38.86, 39],
      [2, 1.5, 38.86, 39],
      [2, 38.86, 38.86, 39],
      [2, 30.43, 38.86, 52],
      [0, 0, 38.86, 39],
      [7, 35, 37, 39],
      [1000, 10, 100, 39],
    ];
    for (const [x, tx, T, t] of cases) {
      const customer = { frequency: x, recency: tx, T };
      expect([x, tx, T, t, expected(customer, t)]).toEqual([
        x,
        tx,
        T,
        t,
        conditionalExpectedPurchases(cdnow, customer, t),
      ]);
    }
    // FHL (2005) customer again: P(alive) × M = 0.726578570080673 × 1.687399305805313 (mpmath)
    // = 1.2260281748 (1.226 over 39 weeks).
    expect(expected({ frequency: 2, recency: 30.43, T: 38.86 }, 39)).toBeCloseTo(
      0.726578570080673 * 1.687399305805313,
      10,
    );
  });

  it("rejects what conditionalExpectedPurchases rejects", () => {
    const expected = conditionalExpectedPurchasesOf(cdnow);
    expect(() => expected({ frequency: 2, recency: 3, T: 2 }, 39)).toThrow(/invalid recency/);
    expect(() => expected({ frequency: 2, recency: 1, T: 2 }, -1)).toThrow(/invalid horizon/);
  });
});
