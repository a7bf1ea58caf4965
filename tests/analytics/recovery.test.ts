import { describe, expect, it } from "vitest";
import { fitBgNbd } from "../../src/analytics/bgnbd.ts";
import { fitGammaGamma } from "../../src/analytics/gammaGamma.ts";
import { simulateCustomers } from "../../src/analytics/simulate.ts";

// Parameter recovery: customers simulated from known parameters (seeded), then fitted. The MLE is
// asymptotically normal around the truth with the inverse observed information as covariance,
// so (estimate - truth) / standard error is about N(0, 1) for each parameter. We accept 4
// standard errors (a 6e-5 chance per parameter for a correct fit), and require the standard
// errors to be small (< 25% of the value) so the bound cannot pass by being vacuous. A biased
// likelihood, a wrong gradient or an optimiser stopping early moves estimates by many SEs at
// 20,000 customers (60,000 where dropout is rare).
const N = 20_000;
const settings = [
  { name: "CDNOW-like (weeks)", bgnbd: { r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, maxT: 52, customers: N },
  // Rare dropout leaves few dropouts to learn a and b from: more customers for the same precision.
  {
    name: "low dropout: mean p = 0.3/10.3",
    bgnbd: { r: 0.5, alpha: 10, a: 0.3, b: 10 },
    maxT: 78,
    customers: 3 * N,
  },
  { name: "high dropout: mean p = 0.5", bgnbd: { r: 1.5, alpha: 5, a: 2, b: 2 }, maxT: 52, customers: N },
  { name: "frequent buyers in days", bgnbd: { r: 1, alpha: 20, a: 0.5, b: 5 }, maxT: 730, customers: N },
];

describe("BG/NBD parameter recovery", () => {
  it.each(settings)("$name", ({ bgnbd, maxT, customers: n }) => {
    const customers = simulateCustomers({ customers: n, seed: 20_240_601, bgnbd, minT: 0, maxT });
    const fit = fitBgNbd(customers);
    expect(fit.converged).toBe(true);
    for (const name of ["r", "alpha", "a", "b"] as const) {
      const se = fit.stdErrors![name];
      expect(se / bgnbd[name]).toBeLessThan(0.25);
      expect(Math.abs(fit.params![name] - bgnbd[name]) / se).toBeLessThan(4);
    }
  });
});

describe("Gamma-Gamma parameter recovery", () => {
  it.each([
    { p: 6, q: 4, v: 15 },
    { p: 1.5, q: 2.5, v: 40 },
  ])("p = $p, q = $q, v = $v", (gammaGamma) => {
    const customers = simulateCustomers({
      customers: N,
      seed: 99,
      bgnbd: { r: 1, alpha: 5, a: 0.5, b: 4 },
      minT: 0,
      maxT: 52,
      gammaGamma,
    });
    const fit = fitGammaGamma(customers);
    expect(fit.converged).toBe(true);
    for (const name of ["p", "q", "v"] as const) {
      const se = fit.stdErrors![name];
      expect(se / gammaGamma[name]).toBeLessThan(0.25);
      expect(Math.abs(fit.params![name] - gammaGamma[name]) / se).toBeLessThan(4);
    }
  });
});
