/**
 * The hypergeometric core of BG/NBD's conditional expectation: the expected number of purchases
 * in the next t time units of a customer known to be alive, with x repeat purchases and age T,
 *
 *   M = ((a+b+x−1)/(a−1)) (1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)),  z = t/(α+T+t).
 *
 * Euler's transformation rewrites the product as (1 − z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z),
 * whose parameters do not grow with x: thousands of purchases neither overflow nor slow it.
 * Three evaluations, each where it is accurate (checked against mpmath in the tests):
 * - z ≤ 0.7: the power series with the division by (a − 1) done analytically (a = 1 is fine);
 * - z > 0.7: Cephes' ₂F₁ (stdlib), unless 1 − (1−z)^(a−1)₂F₁ cancels badly (a near 1), then
 * - the series value at z = 0.7 plus ∫ dM/dv dv in v = ln(1 + t/(α+T)), where
 *   dM/dv = (r+x) e^{−(a−1)v} ₂F₁(a+b−1−r, a; a+b+x; 1 − e^{−v}) has no cancellation.
 */
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
  if (z <= SERIES_MAX_Z) return bySeries(p, x, z, -Math.log1p(tau));
  const C = p.a + p.b + x - 1;
  const h = Math.exp(-(p.a - 1) * Math.log1p(tau)) * hyp2f1(p.a + p.b - 1 - p.r, p.a - 1, C, z);
  const value = (C * (1 - h)) / (p.a - 1);
  if (Number.isFinite(value) && Math.abs(h) <= MAX_CANCELLATION * Math.abs(1 - h)) return value;
  return byIntegral(p, x, Math.log1p(tau));
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
  for (let n = 1; n < SERIES_MAX_TERMS && term !== 0; n++) {
    term *= ((A + n) * (p.a + n - 1) * z) / ((C + n) * (n + 1));
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
  }
  return C * lead - Math.exp(e) * sum;
}

// M(z) = M(0.7) + ∫_{v0}^{v} (r+x) e^{−(a−1)s} ₂F₁(A, a; C+1; 1 − e^{−s}) ds, v0 = ln(1/0.3). The
// integrand mixes e^{−(a−1)s} and e^{−(x+r+1−a)s}: panels start 1/rate wide and double, up to 4.
function byIntegral(p: Kernel, x: number, v: number): number {
  const A = p.a + p.b - 1 - p.r;
  const C = p.a + p.b + x - 1;
  const k = p.r + x;
  const v0 = -Math.log1p(-SERIES_MAX_Z);
  const integrand = (s: number) => Math.exp(-(p.a - 1) * s) * hyp2f1(A, p.a, C + 1, -Math.expm1(-s));
  const rate = x + p.r + Math.abs(p.a - 1) + 1;
  let total = 0;
  let lo = v0;
  let width = Math.min(MAX_PANEL, 1 / rate);
  while (lo < v) {
    const hi = Math.min(v, lo + width);
    total += integrate(integrand, lo, hi, RULE);
    lo = hi;
    width = Math.min(MAX_PANEL, width * 2);
  }
  return bySeries(p, x, SERIES_MAX_Z, Math.log1p(-SERIES_MAX_Z)) + k * total;
}
