/**
 * The last-resort evaluation of BG/NBD's expected purchases given alive, for parameters where
 * every ₂F₁ route overflows (Cephes' ₂F₁ uses Γ itself, which overflows past 171, so a few
 * hundred in a or b + x with z near 1 defeat it). It integrates the model's own mixture:
 *
 *   M = E[(1 − (1 + pτ)^−(r+x)) / p],  p ~ Beta(a, b + x),  τ = t / (α + T),
 *
 * over y = logit(p), where the Beta density is log-concave and smooth: composite Gauss–Legendre
 * around the mode, and closed-form tails where p (or 1 − p) is so small that the integrand is
 * its limit. Slow (up to about a thousand points) but valid for any positive parameters.
 */
import { gaussLegendre, integrate } from "./gaussLegendre.ts";
import { lnGamma, log1pExp } from "./special.ts";

const RULE = gaussLegendre(16);
// Beyond this many standard deviations (in y) of a peaked density there is nothing left.
const SPREAD = 40;
// A tail is taken in closed form once p (or 1 − p) × (β + kτ + 1) is below this.
const TAIL = 1e-17;

/** E over p ~ Beta(a, b + x) of (1 − (1 + pτ)^−(r+x)) / p, τ = t / (α + T). */
export function betaMixtureExpectedPurchases(
  params: { r: number; alpha: number; a: number; b: number },
  x: number,
  T: number,
  t: number,
): number {
  const a = params.a;
  const beta = params.b + x;
  const k = params.r + x;
  const tau = t / (params.alpha + T);
  const lnBeta = lnGamma(a) + lnGamma(beta) - lnGamma(a + beta);
  // (1 − (1 + pτ)^−k) / p: kτ at p = 0, computed without cancellation for small pτ.
  const g = (p: number) => (p === 0 ? k * tau : -Math.expm1(-k * Math.log1p(p * tau)) / p);
  // p = 1/(1 + e^−y), dp = p (1 − p) dy: the density of y is p^a (1 − p)^β / B(a, β).
  const integrand = (y: number) => {
    const lnP = -log1pExp(-y);
    const lnQ = -log1pExp(y);
    return Math.exp(a * lnP + beta * lnQ - lnBeta) * g(Math.exp(lnP));
  };
  const mode = Math.log(a / beta);
  const sd = Math.sqrt(1 / a + 1 / beta);
  // Tails where dropping p (or 1 − p) changes the integrand by less than TAIL relative: the
  // first-order terms are a p, (β − 1) p and (k + 1) p τ / 2 on the left, a (1 − p) and
  // (k + 1) (1 − p) on the right (β bounds nothing there but costs nothing to include).
  const leftTail = Math.log(TAIL / (a + beta + k * tau + 1));
  const rightTail = -Math.log(TAIL / (a + beta + k + 1));
  const lo = Math.max(leftTail, mode - SPREAD * sd);
  const hi = Math.min(rightTail, mode + SPREAD * sd);
  let total = 0;
  const width = Math.min(2, sd);
  const panels = Math.ceil((hi - lo) / width);
  for (let i = 0; i < panels; i++) {
    total += integrate(integrand, lo + i * width, Math.min(hi, lo + (i + 1) * width), RULE);
  }
  // Closed-form tails: ∫_{-∞}^{lo} ≈ g(0) e^{a lo} / (a B) where p ≈ e^y ≪ 1, and
  // ∫_{hi}^{∞} ≈ g(1) e^{−β hi} / (β B) where 1 − p ≈ e^{−y} ≪ 1.
  if (lo === leftTail) total += (g(0) * Math.exp(a * lo - lnBeta)) / a;
  if (hi === rightTail) total += (g(1) * Math.exp(-beta * hi - lnBeta)) / beta;
  return total;
}
