/**
 * The hypergeometric core of BG/NBD's conditional expectation: the expected number of purchases
 * in the next t time units of a customer known to be alive, with x repeat purchases and age T,
 *
 *   M = ((a+b+x−1)/(a−1)) (1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)),  z = t/(α+T+t).
 *
 * Euler's transformation rewrites the product as (1 − z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z),
 * whose parameters do not grow with x: thousands of purchases neither overflow nor slow it.
 * Evaluations, each where it is accurate (checked against mpmath in the tests):
 * - z ≤ 0.7: the power series with the division by (a − 1) done analytically (a = 1 is fine);
 * - z > 0.7: Cephes' ₂F₁ (stdlib), unless 1 − (1−z)^(a−1)₂F₁ cancels badly (a near 1), then
 * - the series value at z = 0.7 plus ∫ dM/dv dv in v = ln(1 + t/(α+T)), where
 *   dM/dv = (r+x) e^{−(r+x)v} ₂F₁(r+x+1, b+x; a+b+x; 1 − e^{−v}) has no cancellation
 *   (also the way out when a is so large that the series and the power overflow);
 * - where Cephes' ₂F₁ overflows even so (hundreds in a or b + x with z near 1), the Beta
 *   mixture integrated directly (betaMixture.ts).
 */
import { betaMixtureExpectedPurchases } from "./betaMixture.ts";
import { gaussLegendre, integrate } from "./gaussLegendre.ts";
import { hyp2f1 } from "./special.ts";

interface Kernel {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

const SERIES_MAX_Z = 0.7;
const SERIES_MAX_TERMS = 10_000;
// Cephes' ₂F₁ is good to ~1e-13 relative; 1 − h loses a factor |h| / |1 − h| of that.
const MAX_CANCELLATION = 1e3;
// 16 nodes on panels at most 4 wide in v: the integrand's nearest singularities are at
// Im v = ±π, so the error is below 1e-16 relative (Bernstein ellipse ρ ≈ 3.4, ρ^-32).
const RULE = gaussLegendre(16);
const MAX_PANEL = 4;

/** Expected purchases in (T, T + t] given alive, x repeat purchases and age T (t ≥ 0). */
export function aliveExpectedPurchases(p: Kernel, x: number, T: number, t: number): number {
  if (t <= 0) return 0;
  const tau = t / (p.alpha + T);
  const z = tau / (1 + tau);
  if (z <= SERIES_MAX_Z) {
    const value = bySeries(p, x, z, -Math.log1p(tau));
    // NaN only when the series failed (absurd a, near the search's edges): fall through.
    if (!Number.isNaN(value)) return value;
  }
  const C = p.a + p.b + x - 1;
  const h = Math.exp(-(p.a - 1) * Math.log1p(tau)) * hyp2f1(p.a + p.b - 1 - p.r, p.a - 1, C, z);
  const value = (C * (1 - h)) / (p.a - 1);
  if (Number.isFinite(value) && Math.abs(h) <= MAX_CANCELLATION * Math.abs(1 - h)) return value;
  const integral = byIntegral(p, x, Math.log1p(tau));
  if (Number.isFinite(integral)) return integral;
  return betaMixtureExpectedPurchases(p, x, T, t);
}

// M = C (1 − e^{(a−1)L})/(a−1) − e^{(a−1)L} Σ_{n≥1} (A)_n (a)_{n−1} zⁿ / ((C+1)_{n−1} n!),
// L = ln(1 − z), A = a+b−1−r, C = a+b+x−1: C (₂F₁ − 1)/(a − 1) summed without dividing.
function bySeries(p: Kernel, x: number, z: number, logOneMinusZ: number): number {
  const A = p.a + p.b - 1 - p.r;
  const C = p.a + p.b + x - 1;
  const e = (p.a - 1) * logOneMinusZ;
  const lead = p.a === 1 ? -logOneMinusZ : -Math.expm1(e) / (p.a - 1);
  let term = A * z;
  let sum = term;
  let converged = term === 0;
  for (let n = 1; n < SERIES_MAX_TERMS && !converged; n++) {
    term *= ((A + n) * (p.a + n - 1) * z) / ((C + n) * (n + 1));
    sum += term;
    converged = Math.abs(term) <= 1e-17 * Math.abs(sum) || term === 0;
  }
  // Terms grow for n < a z before they shrink: with an enormous a the cap is reached first.
  return converged && Number.isFinite(sum) ? C * lead - Math.exp(e) * sum : Number.NaN;
}

// M(z) = M(0.7) + ∫_{v0}^{v} dM/ds ds, v0 = ln(1/0.3) (from v0 = 0, M = 0 if the series failed),
// dM/ds = (r+x) e^{−(a−1)s} ₂F₁(A, a; C+1; u) = (r+x) e^{−(r+x)s} ₂F₁(r+x+1, b+x; a+b+x; u),
// u = 1 − e^{−s} (Euler again): the second form keeps an enormous a inside ₂F₁'s denominator
// parameter instead of an underflowing power times an overflowing ₂F₁. The integrand mixes
// e^{−(a−1)s} and e^{−(x+r)s}: panels start 1/rate wide and double, up to 4.
function byIntegral(p: Kernel, x: number, v: number): number {
  const k = p.r + x;
  const integrand = (s: number) => Math.exp(-k * s) * hyp2f1(k + 1, p.b + x, p.a + p.b + x, -Math.expm1(-s));
  const rate = x + p.r + Math.abs(p.a - 1) + 1;
  const atSwitch = bySeries(p, x, SERIES_MAX_Z, Math.log1p(-SERIES_MAX_Z));
  let lo = Number.isNaN(atSwitch) ? 0 : -Math.log1p(-SERIES_MAX_Z);
  let total = 0;
  let width = Math.min(MAX_PANEL, 1 / rate);
  while (lo < v) {
    const hi = Math.min(v, lo + width);
    total += integrate(integrand, lo, hi, RULE);
    lo = hi;
    width = Math.min(MAX_PANEL, width * 2);
  }
  return (Number.isNaN(atSwitch) ? 0 : atSwitch) + k * total;
}
