import { describe, expect, it } from "vitest";
import { fitBgNbd } from "../../src/analytics/bgnbd.ts";
import { conditionalExpectedPurchases, pAlive } from "../../src/analytics/bgnbdPredict.ts";
import { fitGammaGamma } from "../../src/analytics/gammaGamma.ts";
import { simulateCustomers } from "../../src/analytics/simulate.ts";

describe("BG/NBD fits the data cannot support", () => {
  it("all buyers with one purchase: says it cannot identify the model", () => {
    // Without repeat buyers LL = -r Σ ln(1 + T/α): rising as r -> 0, and a, b never appear.
    const fit = fitBgNbd({ frequency: [0, 0, 0, 0], recency: [0, 0, 0, 0], T: [5, 10, 20, 40] });
    expect(fit.converged).toBe(false);
    expect(fit.params).toBeNull();
    expect(fit.stdErrors).toBeNull();
    expect(fit.customers).toBe(4);
    expect(fit.note).toMatch(/no customer has a repeat purchase/);
  });

  it("no customers at all", () => {
    const fit = fitBgNbd({ frequency: [], recency: [], T: [] });
    expect(fit.converged).toBe(false);
    expect(fit.note).toBe("no customers to fit");
  });

  it("a single buyer: runs off to the edge and is not reported as converged", () => {
    const fit = fitBgNbd({ frequency: [2], recency: [10], T: [20] });
    expect(fit.converged).toBe(false);
    expect(fit.note).toMatch(/edge of the parameter space.*cannot identify/);
    expect(fit.stdErrors).toBeNull();
    expect(Number.isFinite(fit.logLikelihood)).toBe(true);
  });

  it("a fit stopped before convergence is reported as such", () => {
    const customers = simulateCustomers({
      customers: 500,
      seed: 3,
      bgnbd: { r: 0.5, alpha: 5, a: 0.7, b: 3 },
      minT: 1,
      maxT: 52,
    });
    const stopped = fitBgNbd(customers, { maxIterations: 1 });
    expect(stopped.converged).toBe(false);
    expect(stopped.iterations).toBe(1);
    expect(stopped.gradientNorm).toBeGreaterThan(1e-8);
    expect(stopped.note).toMatch(/^no convergence after 1 iteration: gradient/);
    expect(fitBgNbd(customers).converged).toBe(true);
  });
});

describe("huge frequencies", () => {
  // A few wholesale-like buyers with thousands of purchase days among ordinary ones (days).
  const customers = {
    frequency: [5000, 2000, 1000, 0, 1, 3, 0, 0, 12, 2, 1, 0],
    recency: [364, 300, 10, 0, 5, 100, 0, 0, 200, 30, 90, 0],
    T: [365, 365, 100, 100, 200, 300, 50, 365, 365, 60, 120, 10],
  };

  it("the fit stays finite and converges", () => {
    const fit = fitBgNbd(customers);
    expect(fit.converged).toBe(true);
    expect(Number.isFinite(fit.logLikelihood)).toBe(true);
  });

  it("predictions neither overflow nor turn NaN", () => {
    const params = fitBgNbd(customers).params!;
    for (const [x, tx, T] of [
      [5000, 364, 365],
      [1000, 10, 100],
      [100_000, 3000, 3650],
    ] as const) {
      const p = pAlive(params, { frequency: x, recency: tx, T });
      const e = conditionalExpectedPurchases(params, { frequency: x, recency: tx, T }, 365);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      expect(Number.isFinite(e)).toBe(true);
      expect(e).toBeGreaterThanOrEqual(0);
    }
    // Silent for 90 of 100 days after 1000 purchases: (α+100)/(α+10))^1000 overflows, P(alive) = 0.
    expect(pAlive(params, { frequency: 1000, recency: 10, T: 100 })).toBe(0);
  });
});

describe("Gamma-Gamma edge cases", () => {
  it("zero and negative spends are left out by the fit rule (frequency > 0 and spend > 0)", () => {
    const withZeros = fitGammaGamma({
      frequency: [0, 2, 3, 1, 4, 2, 5, 1, 3],
      monetaryValue: [0, 0, 12, 30, 25, -4, 18, 22, 41],
    });
    const without = fitGammaGamma({ frequency: [3, 1, 4, 5, 1, 3], monetaryValue: [12, 30, 25, 18, 22, 41] });
    expect(withZeros.customers).toBe(6);
    expect(withZeros.logLikelihood).toBe(without.logLikelihood);
  });

  it("no repeat buyer with positive spend: cannot identify", () => {
    const fit = fitGammaGamma({ frequency: [0, 2, 1], monetaryValue: [0, 0, 0] });
    expect(fit.converged).toBe(false);
    expect(fit.params).toBeNull();
    expect(fit.customers).toBe(0);
    expect(fit.note).toMatch(/needs repeat buyers/);
  });

  it("identical spends (no variation to learn p from): not converged", () => {
    const fit = fitGammaGamma({ frequency: [1, 2, 3, 4], monetaryValue: [10, 10, 10, 10] });
    expect(fit.converged).toBe(false);
    expect(fit.note).toMatch(/edge of the parameter space/);
  });

  it("rejects values no purchase history produces", () => {
    expect(() => fitGammaGamma({ frequency: [1.5], monetaryValue: [10] })).toThrow(/invalid frequency/);
    expect(() => fitGammaGamma({ frequency: [2], monetaryValue: [Number.NaN] })).toThrow(
      /invalid monetary value/,
    );
  });
});
