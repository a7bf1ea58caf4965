import { describe, expect, it } from "vitest";
import {
  expectedAverageSpend,
  gammaGammaEvaluation,
  gammaGammaLogLikelihood,
  populationAverageSpend,
} from "../../src/analytics/gammaGamma.ts";
import { simulateCustomers } from "../../src/analytics/simulate.ts";

describe("gammaGammaLogLikelihood", () => {
  it("is the density of one buyer's mean spend, by hand", () => {
    // p = 6, q = 4, v = 15; x = 4 repeat purchases with mean m = 40:
    // lnΓ(28) - lnΓ(24) - lnΓ(4) + 4 ln 15 + 23 ln 40 + 24 ln 4 - 28 ln(4·40 + 15)
    // = 64.5575386270 - 51.6066755678 - 1.7917594692 + 10.8322008044 + 84.8442274446
    //   + 33.2710646669 - 144.6140072699 = -4.5074107639
    const ll = gammaGammaLogLikelihood({ p: 6, q: 4, v: 15 }, { frequency: [4], monetaryValue: [40] });
    expect(ll).toBeCloseTo(-4.5074107639, 9);
  });

  it("skips buyers outside the fit rule (frequency 0 or spend <= 0)", () => {
    const one = gammaGammaLogLikelihood({ p: 6, q: 4, v: 15 }, { frequency: [4], monetaryValue: [40] });
    const withOthers = gammaGammaLogLikelihood(
      { p: 6, q: 4, v: 15 },
      { frequency: [0, 4, 3, 2], monetaryValue: [0, 40, 0, -5] },
    );
    expect(withOthers).toBeCloseTo(one, 12);
  });

  it("does not depend on the money unit beyond the Jacobian (cents: -N ln 100)", () => {
    // Money × 100 and v × 100: each density is divided by 100.
    const spend = { frequency: [4, 1, 7], monetaryValue: [40, 12.5, 99] };
    const cents = { frequency: spend.frequency, monetaryValue: spend.monetaryValue.map((m) => m * 100) };
    const yuan = gammaGammaLogLikelihood({ p: 6, q: 4, v: 15 }, spend);
    const fen = gammaGammaLogLikelihood({ p: 6, q: 4, v: 1500 }, cents);
    expect(fen).toBeCloseTo(yuan - 3 * Math.log(100), 9);
  });
});

describe("Gamma-Gamma derivatives against finite differences", () => {
  const sim = simulateCustomers({
    customers: 600,
    seed: 5,
    bgnbd: { r: 1, alpha: 5, a: 0.5, b: 3 },
    minT: 10,
    maxT: 60,
    gammaGamma: { p: 5, q: 3, v: 20 },
  });
  const at = { p: 4, q: 3.5, v: 25 };
  const names = ["p", "q", "v"] as const;
  const shifted = (i: number, h: number) => {
    const params = { ...at };
    params[names[i]!] *= Math.exp(h);
    return params;
  };
  const analytic = gammaGammaEvaluation(at, sim);
  const N = sim.frequency.filter((x) => x > 0).length;

  it("gradient", () => {
    const h = 1e-4;
    for (let i = 0; i < 3; i++) {
      const fd =
        (gammaGammaLogLikelihood(shifted(i, h), sim) - gammaGammaLogLikelihood(shifted(i, -h), sim)) /
        (2 * h) /
        N;
      expect(Math.abs(analytic.gradient[i]! - fd)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
    }
  });

  it("Hessian", () => {
    const h = 1e-5;
    for (let i = 0; i < 3; i++) {
      const up = gammaGammaEvaluation(shifted(i, h), sim).gradient;
      const down = gammaGammaEvaluation(shifted(i, -h), sim).gradient;
      for (let j = 0; j < 3; j++) {
        const fd = (up[j]! - down[j]!) / (2 * h);
        expect(Math.abs(analytic.hessian[i]![j]! - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    }
  });
});

describe("expected average spend", () => {
  it("weights the population mean and the buyer's own mean", () => {
    // p (v + x m) / (p x + q - 1) = 6 (15 + 4·40) / (24 + 3) = 1050 / 27 = 38.888...
    expect(expectedAverageSpend({ p: 6, q: 4, v: 15 }, 4, 40)).toBeCloseTo(1050 / 27, 12);
  });

  it("null when the posterior mean does not exist (p x + q <= 1)", () => {
    // p = 0.3, q = 0.5, x = 1: 0.3 + 0.5 - 1 = -0.2 <= 0
    expect(expectedAverageSpend({ p: 0.3, q: 0.5, v: 15 }, 1, 40)).toBeNull();
    // x = 2: 0.6 + 0.5 - 1 = 0.1 > 0: 0.3 (15 + 80) / 0.1 = 285
    expect(expectedAverageSpend({ p: 0.3, q: 0.5, v: 15 }, 2, 40)).toBeCloseTo(285, 10);
  });

  it("population mean p v / (q - 1), null when q <= 1", () => {
    // 6 · 15 / 3 = 30
    expect(populationAverageSpend({ p: 6, q: 4, v: 15 })).toBe(30);
    expect(populationAverageSpend({ p: 6, q: 1, v: 15 })).toBeNull();
    expect(populationAverageSpend({ p: 6, q: 0.5, v: 15 })).toBeNull();
  });
});
