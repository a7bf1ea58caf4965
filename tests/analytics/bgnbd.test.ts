import { describe, expect, it } from "vitest";
import { bgnbdEvaluation, bgnbdLogLikelihood } from "../../src/analytics/bgnbd.ts";
import type { BgNbdParams } from "../../src/analytics/bgnbdPredict.ts";
import { simulateCustomers } from "../../src/analytics/simulate.ts";

describe("bgnbdLogLikelihood", () => {
  it("matches FHL (2005) eq. 6 for one customer, by hand", () => {
    // BTYD's documentation example: r = 0.5, α = 6, a = 1.2, b = 3.3; x = 3, t_x = 4, T = 6.
    // A1 = lnΓ(3.5) - lnΓ(0.5) + 0.5 ln 6 = 1.2009736023 - 0.5723649429 + 0.8958797346 = 1.5244883940
    // A2 = lnΓ(6.3) - lnΓ(3.3) + lnΓ(4.5) - lnΓ(7.5)    (ln B(a, b+x) - ln B(a, b))
    //    = 5.3073428896 - 0.9870985779 + 2.4537365708 - 7.5343642368 = -0.7603833542
    // (α+T)^-(r+x) = 12^-3.5 = 1.670573696e-4; (a/(b+x-1)) (α+t_x)^-(r+x) = (1.2/5.3) 10^-3.5 = 7.159873948e-5
    // LL = 1.5244883940 - 0.7603833542 + ln(2.386561090e-4) = 1.5244883940 - 0.7603833542 - 8.3404869165
    //    = -7.5763818767
    const params = { r: 0.5, alpha: 6, a: 1.2, b: 3.3 };
    const ll = bgnbdLogLikelihood(params, { frequency: [3], recency: [4], T: [6] });
    expect(ll).toBeCloseTo(-7.5763818767, 9);
  });

  it("is r ln(α/(α+T)) for a customer without repeat purchases", () => {
    // 0.5 ln(6/12) = -0.5 ln 2 = -0.34657359028
    const ll = bgnbdLogLikelihood(
      { r: 0.5, alpha: 6, a: 1.2, b: 3.3 },
      { frequency: [0], recency: [0], T: [6] },
    );
    expect(ll).toBeCloseTo(-0.34657359028, 10);
  });

  it("counts a weight of k like k identical customers", () => {
    const params = { r: 0.5, alpha: 6, a: 1.2, b: 3.3 };
    const repeated = bgnbdLogLikelihood(params, {
      frequency: [3, 3, 3, 0],
      recency: [4, 4, 4, 0],
      T: [6, 6, 6, 6],
    });
    const weighted = bgnbdLogLikelihood(params, {
      frequency: [3, 0],
      recency: [4, 0],
      T: [6, 6],
      weight: [3, 1],
    });
    // 3 × (-7.5763818767) + (-0.3465735903) = -23.0757192204
    expect(repeated).toBeCloseTo(-23.0757192204, 9);
    expect(weighted).toBeCloseTo(repeated, 12);
  });

  it("stays finite for thousands of purchases", () => {
    const ll = bgnbdLogLikelihood(
      { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
      {
        frequency: [5000, 1000],
        recency: [99, 10],
        T: [100, 100],
      },
    );
    expect(Number.isFinite(ll)).toBe(true);
  });
});

describe("analytic derivatives against finite differences of the log-likelihood", () => {
  // An independent check: central differences of the total log-likelihood in the log-parameters
  // (step 1e-4: truncation ~1e-8 relative, rounding ~1e-16 × |LL| / 1e-4 ≈ 1e-9 of the gradient).
  const customers = simulateCustomers({
    customers: 400,
    seed: 11,
    bgnbd: { r: 0.4, alpha: 5, a: 0.7, b: 2.5 },
    minT: 1,
    maxT: 60,
  });
  const at: BgNbdParams = { r: 0.35, alpha: 4, a: 0.9, b: 2 };
  const names = ["r", "alpha", "a", "b"] as const;
  const shifted = (i: number, h: number): BgNbdParams => {
    const p = { ...at };
    p[names[i]!] *= Math.exp(h);
    return p;
  };
  const N = customers.frequency.length;
  const analytic = bgnbdEvaluation(at, customers);

  it("gradient", () => {
    const h = 1e-4;
    for (let i = 0; i < 4; i++) {
      const fd =
        (bgnbdLogLikelihood(shifted(i, h), customers) - bgnbdLogLikelihood(shifted(i, -h), customers)) /
        (2 * h) /
        N;
      expect(Math.abs(analytic.gradient[i]! - fd)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
    }
  });

  it("Hessian (central differences of the analytic gradient)", () => {
    const h = 1e-5;
    for (let i = 0; i < 4; i++) {
      const up = bgnbdEvaluation(shifted(i, h), customers).gradient;
      const down = bgnbdEvaluation(shifted(i, -h), customers).gradient;
      for (let j = 0; j < 4; j++) {
        const fd = (up[j]! - down[j]!) / (2 * h);
        expect(Math.abs(analytic.hessian[i]![j]! - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    }
  });

  it("mean value is the total divided by the customers", () => {
    expect(analytic.value * N).toBeCloseTo(bgnbdLogLikelihood(at, customers), 8);
  });
});
