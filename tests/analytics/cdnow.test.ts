import { describe, expect, it } from "vitest";
import { bgnbdLogLikelihood, fitBgNbd } from "../../src/analytics/bgnbd.ts";
import { conditionalExpectedPurchases, pAlive } from "../../src/analytics/bgnbdPredict.ts";
import { fitGammaGamma } from "../../src/analytics/gammaGamma.ts";
import { cdnowEvents, DATASETS, dayNumber, numericColumns, summarise } from "./datasets.ts";

// CDNOW's 2,357-customer sample, calibration through 1997-09-30 inclusive (FHL 2005; Fader &
// Hardie 2013). Published: BG/NBD r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = -9582.43;
// Gamma-Gamma p = 6.25, q = 3.74, v = 15.44, LL = -4055.92 on the 946 repeat buyers.
// Finer references come from an independent Python implementation maximised with scipy and the
// log-likelihood re-evaluated in mpmath (tests/analytics/reference/cdnow_reference.py).
const days = summarise(cdnowEvents(), dayNumber("1997-09-30"));
const weeks = {
  frequency: days.frequency,
  recency: days.recency.map((d) => d / 7),
  T: days.T.map((d) => d / 7),
};
const relative = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe("CDNOW summary from the event log", () => {
  it("agrees with the published customer-by-sufficient-statistic files", () => {
    // README: 2,357 customers, 946 with x > 0, Σx = 2,457.
    expect(days.ids.length).toBe(2357);
    expect(days.frequency.filter((x) => x > 0).length).toBe(946);
    expect(days.frequency.reduce((a, b) => a + b, 0)).toBe(2457);
    const file = numericColumns(`${DATASETS}/cdnow/cdnow_customers_summary_with_transactions.csv`);
    days.ids.forEach((id, i) => {
      expect(Number(id)).toBe(file.ID![i]);
      expect(days.frequency[i]).toBe(file.x![i]);
      // The file rounds weeks (days / 7) and zbar to 2 decimals.
      expect(Math.abs(weeks.recency[i]! - file.t_x![i]!)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(weeks.T[i]! - file.T![i]!)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(days.monetaryValue[i]! - file.zbar![i]!)).toBeLessThanOrEqual(0.005 + 1e-9);
    });
  });
});

describe("BG/NBD on CDNOW (weeks)", () => {
  const fit = fitBgNbd(weeks);

  it("reproduces FHL (2005)", () => {
    expect(fit.converged).toBe(true);
    expect(fit.note).toBe("");
    expect(fit.customers).toBe(2357);
    expect(fit.gradientNorm).toBeLessThan(1e-8);
    const { r, alpha, a, b } = fit.params!;
    expect([r, alpha, a, b].map((v) => v.toFixed(3))).toEqual(["0.243", "4.414", "0.793", "2.426"]);
    // -9582.43 published; mpmath at the scipy optimum: -9582.42920667.
    expect(Math.abs(fit.logLikelihood - -9582.43)).toBeLessThan(1e-3);
    expect(Math.abs(fit.logLikelihood - -9582.42920667)).toBeLessThan(1e-6);
  });

  it("agrees with the independent scipy fit to 1e-5 relative", () => {
    // scipy (Nelder-Mead then BFGS): r, α, a, b = 0.24259453, 4.4136021, 0.79292193, 2.4259065
    const { r, alpha, a, b } = fit.params!;
    expect(relative(r, 0.24259453)).toBeLessThan(1e-5);
    expect(relative(alpha, 4.4136021)).toBeLessThan(1e-5);
    expect(relative(a, 0.79292193)).toBeLessThan(1e-5);
    expect(relative(b, 2.4259065)).toBeLessThan(1e-5);
  });

  it("on the rounded summary file too (t_x and T to 2 decimals move LL by 0.004)", () => {
    const file = numericColumns(`${DATASETS}/cdnow/cdnow_customers_summary.csv`);
    const onFile = fitBgNbd({ frequency: file.frequency!, recency: file.recency!, T: file.T! });
    expect(onFile.converged).toBe(true);
    // scipy: 0.24259291, 4.4135315, 0.7928861, 2.4257536; mpmath LL -9582.42556057.
    const { r, alpha, a, b } = onFile.params!;
    expect(relative(r, 0.24259291)).toBeLessThan(1e-5);
    expect(relative(alpha, 4.4135315)).toBeLessThan(1e-5);
    expect(relative(a, 0.7928861)).toBeLessThan(1e-5);
    expect(relative(b, 2.4257536)).toBeLessThan(1e-5);
    expect(Math.abs(onFile.logLikelihood - -9582.42556057)).toBeLessThan(1e-6);
  });

  it("standard errors match the inverse of a finite-difference observed information", () => {
    // Independent of the analytic Hessian: central second differences of the total LL on the
    // natural scale (steps 1e-4 × θ), inverted here by Gauss-Jordan elimination.
    const theta = [fit.params!.r, fit.params!.alpha, fit.params!.a, fit.params!.b];
    const ll = ([r, alpha, a, b]: number[]) =>
      bgnbdLogLikelihood({ r: r!, alpha: alpha!, a: a!, b: b! }, weeks);
    const h = theta.map((v) => 1e-4 * v);
    const info = theta.map((_, i) =>
      theta.map((__, j) => {
        const at = (di: number, dj: number) => {
          const t = theta.slice();
          t[i]! += di * h[i]!;
          t[j]! += dj * h[j]!;
          return ll(t);
        };
        return -(at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h[i]! * h[j]!);
      }),
    );
    const covariance = invert(info);
    const se = covariance.map((row, i) => Math.sqrt(row[i]!));
    const { r, alpha, a, b } = fit.stdErrors!;
    for (const [i, value] of [r, alpha, a, b].entries()) expect(relative(value, se[i]!)).toBeLessThan(1e-3);
  });

  it("FHL's example customer (2, 30.43, 38.86) expects 1.226 purchases in 39 weeks", () => {
    const e = conditionalExpectedPurchases(fit.params!, { frequency: 2, recency: 30.43, T: 38.86 }, 39);
    expect(e.toFixed(3)).toBe("1.226");
  });
});

describe("days and weeks give the same predictions", () => {
  const inWeeks = fitBgNbd(weeks);
  const inDays = fitBgNbd(days);

  it("α scales by 7, r, a, b and the Jacobian-adjusted log-likelihood do not change", () => {
    expect(inDays.converged).toBe(true);
    expect(relative(inDays.params!.alpha, 7 * inWeeks.params!.alpha)).toBeLessThan(1e-9);
    for (const name of ["r", "a", "b"] as const) {
      expect(relative(inDays.params![name], inWeeks.params![name])).toBeLessThan(1e-9);
    }
    // Each repeat purchase time's density is divided by 7 in days: LL_days = LL_weeks - 2457 ln 7.
    expect(inDays.logLikelihood).toBeCloseTo(inWeeks.logLikelihood - 2457 * Math.log(7), 6);
  });

  it("P(alive) and expected purchases agree to 1e-9 for all 2,357 customers", () => {
    let worst = 0;
    days.ids.forEach((_, i) => {
      const inW = { frequency: weeks.frequency[i]!, recency: weeks.recency[i]!, T: weeks.T[i]! };
      const inD = { frequency: days.frequency[i]!, recency: days.recency[i]!, T: days.T[i]! };
      worst = Math.max(worst, Math.abs(pAlive(inDays.params!, inD) - pAlive(inWeeks.params!, inW)));
      for (const horizonWeeks of [90 / 7, 39, 365 / 7]) {
        const w = conditionalExpectedPurchases(inWeeks.params!, inW, horizonWeeks);
        const d = conditionalExpectedPurchases(inDays.params!, inD, horizonWeeks * 7);
        worst = Math.max(worst, Math.abs(d - w));
      }
    });
    expect(worst).toBeLessThan(1e-9);
  });
});

describe("Gamma-Gamma on CDNOW's 946 repeat buyers", () => {
  const fit = fitGammaGamma({ frequency: days.frequency, monetaryValue: days.monetaryValue });

  it("reproduces Fader & Hardie (2013)", () => {
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(946);
    const { p, q, v } = fit.params!;
    expect([p, q, v].map((value) => value.toFixed(2))).toEqual(["6.25", "3.74", "15.44"]);
    // Published to 2 decimals (-4055.92, so ±0.005); the scipy optimum's LL is -4055.917695.
    expect(Math.abs(fit.logLikelihood - -4055.92)).toBeLessThan(5e-3);
    expect(Math.abs(fit.logLikelihood - -4055.917695)).toBeLessThan(1e-5);
  });

  it("agrees with the independent scipy fit to 1e-5 relative", () => {
    // scipy: p, q, v = 6.249574, 3.7442245, 15.443516
    const { p, q, v } = fit.params!;
    expect(relative(p, 6.249574)).toBeLessThan(1e-5);
    expect(relative(q, 3.7442245)).toBeLessThan(1e-5);
    expect(relative(v, 15.443516)).toBeLessThan(1e-5);
  });
});

/** Gauss-Jordan inverse with partial pivoting (the test's own, not src/analytics/linalg.ts). */
function invert(matrix: number[][]): number[][] {
  const n = matrix.length;
  const m = matrix.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++)
      if (Math.abs(m[row]![col]!) > Math.abs(m[pivot]![col]!)) pivot = row;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    m[col] = m[col]!.map((value) => value / p);
    for (let row = 0; row < n; row++) {
      if (row === col) continue;
      const factor = m[row]![col]!;
      m[row] = m[row]!.map((value, j) => value - factor * m[col]![j]!);
    }
  }
  return m.map((row) => row.slice(n));
}
