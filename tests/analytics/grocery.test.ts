import { describe, expect, it } from "vitest";
import { fitBgNbd } from "../../src/analytics/bgnbd.ts";
import { dayNumber, groceryEvents, summarise } from "./datasets.ts";

// The BTYDplus grocery log: 1,525 customers, 10,483 purchase days in 2006-2007 (README). Fitted
// in weeks, on the first year (calibration through 2006-12-31, as BTYDplus' vignette splits it)
// and on both years. References from the independent scipy fit
// (tests/analytics/reference/grocery_reference.py).
const events = groceryEvents();
const relative = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe("BG/NBD on the grocery log", () => {
  it.each([
    ["2006-12-31", [0.34864587, 2.5816713, 0.50384548, 3.6443865], -15836.566231],
    ["2007-12-30", [0.30204283, 2.3648401, 0.5305325, 3.5174345], -25696.035257],
  ] as const)("through %s: converges to the reference optimum", (end, reference, logLikelihood) => {
    const summary = summarise(events, dayNumber(end));
    expect(summary.ids.length).toBe(1525);
    const fit = fitBgNbd({
      frequency: summary.frequency,
      recency: summary.recency.map((d) => d / 7),
      T: summary.T.map((d) => d / 7),
    });
    expect(fit.converged).toBe(true);
    expect(fit.gradientNorm).toBeLessThan(1e-8);
    const { r, alpha, a, b } = fit.params!;
    [r, alpha, a, b].forEach((value, i) => {
      expect(relative(value, reference[i]!)).toBeLessThan(1e-5);
    });
    expect(Math.abs(fit.logLikelihood - logLikelihood)).toBeLessThan(1e-5);
  });
});
