import { describe, expect, it } from "vitest";
import { digamma, hyp2f1, lnGamma, log1pExp, logistic, trigamma } from "../../src/analytics/special.ts";

// Expected values: mpmath 1.3 at 120 digits (tests/analytics/reference/predict_reference.py).
const relative = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe("special functions (stdlib) against mpmath", () => {
  it.each([
    [0.243, 1.3180435846996699, -4.351093864423211, 18.14177978709583],
    [2.5, 0.2846828704729192, 0.7031566406452432, 0.49035775610023485],
    [1000.5, 5908.674175848678, 6.907755320648796, 0.0009999999166666958],
  ])("x = %f: lnGamma, digamma, trigamma to 1e-14", (x, ln, psi, psi1) => {
    expect(relative(lnGamma(x), ln)).toBeLessThan(1e-14);
    expect(relative(digamma(x), psi)).toBeLessThan(1e-14);
    expect(relative(trigamma(x), psi1)).toBeLessThan(1e-14);
  });

  it("2F1 near z = 1", () => {
    expect(relative(hyp2f1(0.5, 1.5, 3.2, 0.95), 1.4793259666108487)).toBeLessThan(1e-13);
  });
});

describe("log-space helpers", () => {
  it("log1pExp is ln(1 + e^u) without overflow or underflow", () => {
    // ln(1 + e^0) = ln 2
    expect(log1pExp(0)).toBe(Math.LN2);
    // e^1000 overflows, ln(1 + e^1000) = 1000 + ln(1 + e^-1000) = 1000
    expect(log1pExp(1000)).toBe(1000);
    // ln(1 + e^-800) = e^-800 ≈ 3.7e-348 underflows to 0; e^-50 = 1.9287498479639178e-22 survives
    expect(relative(log1pExp(-50), 1.9287498479639178e-22)).toBeLessThan(1e-15);
  });

  it("logistic is exactly 0 or 1 in the far tails, never NaN", () => {
    expect(logistic(0)).toBe(0.5);
    expect(logistic(-2000)).toBe(0);
    expect(logistic(2000)).toBe(1);
    expect(logistic(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(logistic(Number.POSITIVE_INFINITY)).toBe(1);
  });
});
