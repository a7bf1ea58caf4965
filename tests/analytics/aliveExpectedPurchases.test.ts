import { describe, expect, it } from "vitest";
import { aliveExpectedPurchases } from "../../src/analytics/aliveExpectedPurchases.ts";
import { betaMixtureExpectedPurchases } from "../../src/analytics/betaMixture.ts";

// Expected values: FHL (2005) eq. 10 without the P(alive) factor, evaluated straight from 2F1 in
// mpmath at 120 digits (tests/analytics/reference/predict_reference.py). The cases cover each
// evaluation path: series (z <= 0.7), Cephes' 2F1 (z > 0.7), the integral in v = ln(1 + t/(α+T))
// where 1 - (1-z)^(a-1) 2F1 cancels (a at or near 1) or a is enormous, and the Beta mixture
// where Cephes overflows. The mixture, a different formula altogether, must match on all of them.
const cases: [number, number, number, number, number, number, number, number][] = [
  // r, alpha, a, b, x, T, t, expected
  [0.243, 4.414, 0.793, 2.426, 0, 38.86, 39, 0.19509805201126265],
  [0.243, 4.414, 0.793, 2.426, 2, 38.86, 39, 1.687399305805313],
  [0.243, 4.414, 0.793, 2.426, 0, 0, 39, 1.196723193320817],
  [0.243, 4.414, 0.793, 2.426, 1000, 100, 39, 328.18277335042353],
  [0.243, 4.414, 0.793, 2.426, 10, 5, 1e5, 328.2947470274804],
  [0.243, 4.414, 0.793, 2.426, 50, 20, 0.001, 0.002057926367452985],
  [0.05, 0.01, 1.0, 0.3, 0, 0, 39, 0.7593172186928998],
  [0.05, 0.01, 1.0, 0.3, 0, 0, 1e6, 2.4605209076604453],
  [0.05, 0.01, 1.0, 0.3, 1000, 100, 39, 329.30432358140934],
  [0.05, 0.01, 1.0, 0.3, 3, 0.5, 2, 5.02880655277883],
  [0.5, 2.0, 0.999995, 1.5, 0, 0, 39, 2.4464985345438848],
  [0.5, 2.0, 0.999995, 1.5, 10, 5, 1e5, 108.92886524023292],
  [0.3, 1.0, 1.00002, 0.4, 1000, 100, 39, 326.6235876739521],
  [3.0, 50.0, 5.0, 30.0, 10, 5, 1e5, 10.99999999975172],
  [1.2, 0.5, 0.2, 0.1, 0, 0, 1e6, 47030.30313188261],
  [1.2, 0.5, 0.2, 0.1, 3, 0.5, 2, 7.043226917327927],
  // Enormous a (dropout almost certain after each purchase): the series would need ~1e5 terms.
  [0.5, 10.0, 1e5, 2.0, 0, 0, 10, 0.2928955411273713],
  [0.5, 10.0, 1e5, 2.0, 3, 20, 100, 0.9941452325458576],
  // Hundreds in a or b + x with z near 1: Cephes' 2F1 overflows, the Beta mixture takes over.
  [11.1, 0.04, 198.6, 4622.0, 100, 0, 324, 24.89676113360324],
  [0.57, 0.083, 0.738, 1078.7, 2, 5, 13291, 2616.1107536156796],
  [6.8, 0.022, 17.3, 9462.0, 0, 0, 190358, 581.4907975460122],
  [0.65, 0.18, 1284.7, 0.07, 1000, 0, 3.85, 1.7790527381787022],
  [19.7, 0.38, 0.9999999, 0.84, 1000, 0, 37872, 11537.929638628193],
];

describe("aliveExpectedPurchases", () => {
  it.each(cases)(
    "r=%f alpha=%f a=%f b=%f x=%i T=%f t=%f: within 1e-10 of mpmath",
    (r, alpha, a, b, x, T, t, want) => {
      const got = aliveExpectedPurchases({ r, alpha, a, b }, x, T, t);
      expect(Math.abs(got - want) / want).toBeLessThan(1e-10);
    },
  );

  it.each(cases)(
    "the Beta mixture alone agrees too (r=%f alpha=%f a=%f b=%f x=%i T=%f t=%f)",
    (r, alpha, a, b, x, T, t, want) => {
      const got = betaMixtureExpectedPurchases({ r, alpha, a, b }, x, T, t);
      expect(Math.abs(got - want) / want).toBeLessThan(1e-10);
    },
  );

  it("is 0 for a zero horizon", () => {
    expect(aliveExpectedPurchases({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 2, 38.86, 0)).toBe(0);
  });

  it("is continuous where the evaluation switches from the series to 2F1 (z = 0.7)", () => {
    // z = t / (α + T + t) = 0.7 at t = 0.7/0.3 (α + T); just below and above the switch the two
    // methods must agree with each other as the function is smooth: relative slope × 1e-9.
    const p = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const t = (0.7 / 0.3) * (4.414 + 10);
    const below = aliveExpectedPurchases(p, 3, 10, t * (1 - 1e-9));
    const above = aliveExpectedPurchases(p, 3, 10, t * (1 + 1e-9));
    expect(Math.abs(above - below) / below).toBeLessThan(1e-8);
  });

  it("is smooth in a across a = 1 (where the integral takes over from 2F1)", () => {
    const at = (a: number) => aliveExpectedPurchases({ r: 0.5, alpha: 2, a, b: 1.5 }, 0, 0, 39);
    // z = 39/41 > 0.7. A smooth function has M(1) = (M(1-h) + M(1+h))/2 + O(h²) and the same
    // central slope at h = 1e-3 and h = 1e-6 up to O(h²); a jump between methods would break both.
    const h = 1e-6;
    expect(Math.abs((at(1 - h) + at(1 + h)) / 2 - at(1)) / at(1)).toBeLessThan(1e-10);
    const slopeWide = (at(1.001) - at(0.999)) / 0.002;
    const slopeNarrow = (at(1 + h) - at(1 - h)) / (2 * h);
    expect(Math.abs(slopeNarrow - slopeWide) / Math.abs(slopeWide)).toBeLessThan(1e-4);
  });
});
