/**
 * Special functions the BTYD models need. Log-gamma, digamma, trigamma and the Gauss
 * hypergeometric function come from stdlib (ports of Boost and Cephes, checked against mpmath
 * in tests/analytics/special.test.ts); this file only adds the log-space helpers that keep
 * likelihoods finite for customers with thousands of purchases.
 */
import digammaStdlib from "@stdlib/math-base-special-digamma";
import gammalnStdlib from "@stdlib/math-base-special-gammaln";
import hyp2f1Stdlib from "@stdlib/math-base-special-hyp2f1";
import trigammaStdlib from "@stdlib/math-base-special-trigamma";

/** ln Γ(x) for x > 0. */
export const lnGamma: (x: number) => number = gammalnStdlib;
/** ψ(x) = d/dx ln Γ(x). */
export const digamma: (x: number) => number = digammaStdlib;
/** ψ₁(x) = d²/dx² ln Γ(x). */
export const trigamma: (x: number) => number = trigammaStdlib;
/** Gauss hypergeometric ₂F₁(a, b; c; z) for real arguments (Cephes' algorithm, 1 − z transforms near 1). */
export const hyp2f1: (a: number, b: number, c: number, z: number) => number = hyp2f1Stdlib;

/** ln(1 + eᵘ) without overflow for large u nor loss of precision for very negative u. */
export function log1pExp(u: number): number {
  if (u > 35) return u + Math.exp(-u);
  if (u < -35) return Math.exp(u);
  return Math.log1p(Math.exp(u));
}

/** 1 / (1 + e^(−u)): exactly 0 or 1 in the far tails, never NaN. */
export function logistic(u: number): number {
  if (u >= 0) return 1 / (1 + Math.exp(-u));
  const e = Math.exp(u);
  return e / (1 + e);
}
