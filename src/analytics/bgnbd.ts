/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): log-likelihood
 * with its exact gradient and Hessian, and the maximum-likelihood fit over weighted distinct
 * (frequency, recency, T) triples. One customer contributes
 *
 *   ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
 *   + ln[(α+T)^−(r+x) + [x>0] (a/(b+x−1)) (α+t_x)^−(r+x)],
 *
 * the Beta and Gamma parts depend on x alone (computed once per distinct x), the last term is
 * a log-sum-exp that stays finite for thousands of purchases.
 */
import type { BgNbdParams } from "./bgnbdPredict.ts";
import {
  type FitResult,
  GRADIENT_TOLERANCE,
  isBetter,
  judgeFit,
  toLogScale,
  unidentified,
} from "./fitResult.ts";
import { type Evaluation, maximize } from "./maximize.ts";
import { digamma, lnGamma, log1pExp, logistic, trigamma } from "./special.ts";
import { type CustomerColumns, compressTriples, type Triples, totalWeight } from "./triples.ts";

export const BGNBD_PARAMS = ["r", "alpha", "a", "b"] as const;
export type BgNbdFit = FitResult<(typeof BGNBD_PARAMS)[number]>;

/** Triples prepared for repeated evaluation: times divided by `scale`, grouped by frequency. */
interface Prepared {
  triples: Triples;
  /** Index into `distinctX` of each triple's frequency. */
  xIndex: Int32Array;
  distinctX: number[];
  /** Total weight of each distinct frequency. */
  weightOfX: number[];
  customers: number;
  /** Σ w x, for converting the log-likelihood between time scales. */
  purchases: number;
  scale: number;
}

function prepare(triples: Triples, scale: number): Prepared {
  const n = triples.weight.length;
  const xIndex = new Int32Array(n);
  const indexOfX = new Map<number, number>();
  const distinctX: number[] = [];
  const weightOfX: number[] = [];
  let purchases = 0;
  for (let j = 0; j < n; j++) {
    const x = triples.frequency[j]!;
    let k = indexOfX.get(x);
    if (k === undefined) {
      k = distinctX.length;
      indexOfX.set(x, k);
      distinctX.push(x);
      weightOfX.push(0);
    }
    xIndex[j] = k;
    weightOfX[k]! += triples.weight[j]!;
    purchases += triples.weight[j]! * x;
  }
  const scaled: Triples = {
    frequency: triples.frequency,
    recency: triples.recency.map((value) => value / scale),
    T: triples.T.map((value) => value / scale),
    weight: triples.weight,
  };
  return { triples: scaled, xIndex, distinctX, weightOfX, customers: totalWeight(triples), purchases, scale };
}

/**
 * Mean log-likelihood per customer, with gradient and Hessian w.r.t. (ln r, ln α, ln a, ln b),
 * α in the prepared (scaled) time unit.
 */
function evaluate(data: Prepared, logParams: number[]): Evaluation {
  const [r, alpha, a, b] = logParams.map((value) => Math.exp(value)) as [number, number, number, number];
  // g and h: gradient and Hessian on the natural scale, accumulated as totals.
  const g = [0, 0, 0, 0];
  const h = [
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ] as number[][];
  const N = data.customers;
  const lnAlpha = Math.log(alpha);
  let value = N * r * lnAlpha;
  g[0]! += N * lnAlpha;
  g[1]! += (N * r) / alpha;
  h[0]![1]! += N / alpha;
  h[1]![1]! -= (N * r) / (alpha * alpha);
  // Gamma and Beta parts, once per distinct frequency.
  const lnGammaR = lnGamma(r);
  const lnGammaB = lnGamma(b);
  const lnGammaAB = lnGamma(a + b);
  const [psiR, psiB, psiAB] = [digamma(r), digamma(b), digamma(a + b)];
  const [triR, triB, triAB] = [trigamma(r), trigamma(b), trigamma(a + b)];
  for (let k = 0; k < data.distinctX.length; k++) {
    const x = data.distinctX[k]!;
    const w = data.weightOfX[k]!;
    if (x === 0) continue;
    value += w * (lnGamma(r + x) - lnGammaR + lnGammaAB - lnGamma(a + b + x) + lnGamma(b + x) - lnGammaB);
    const dAB = psiAB - digamma(a + b + x);
    g[0]! += w * (digamma(r + x) - psiR);
    g[2]! += w * dAB;
    g[3]! += w * (dAB + digamma(b + x) - psiB);
    const d2AB = triAB - trigamma(a + b + x);
    h[0]![0]! += w * (trigamma(r + x) - triR);
    h[2]![2]! += w * d2AB;
    h[2]![3]! += w * d2AB;
    h[3]![3]! += w * (d2AB + trigamma(b + x) - triB);
  }
  // The per-triple term ℓ = −(r+x) ln(α+T) + ln(1 + eᵘ), u = ln(a/(b+x−1)) + (r+x) ln((α+T)/(α+t_x)).
  const { frequency, recency, T, weight } = data.triples;
  const lnA = Math.log(a);
  for (let j = 0; j < weight.length; j++) {
    const w = weight[j]!;
    const x = frequency[j]!;
    const k = r + x;
    const aT = alpha + T[j]!;
    const lnAT = Math.log(aT);
    const iT = 1 / aT;
    value -= w * k * lnAT;
    g[0]! -= w * lnAT;
    g[1]! -= w * k * iT;
    h[0]![1]! -= w * iT;
    h[1]![1]! += w * k * iT * iT;
    if (x === 0) continue;
    const atx = alpha + recency[j]!;
    const itx = 1 / atx;
    const bx = b + x - 1;
    const gap = Math.log1p((T[j]! - recency[j]!) * itx);
    const u = lnA - Math.log(bx) + k * gap;
    const s = logistic(u);
    value += w * log1pExp(u);
    // ∂u/∂(r, α, a, b) and the non-zero second derivatives of u.
    const ur = gap;
    const ua = k * (iT - itx);
    const uA = 1 / a;
    const uB = -1 / bx;
    const ws = w * s;
    const wss = ws * (1 - s);
    g[0]! += ws * ur;
    g[1]! += ws * ua;
    g[2]! += ws * uA;
    g[3]! += ws * uB;
    h[0]![0]! += wss * ur * ur;
    h[0]![1]! += ws * (iT - itx) + wss * ur * ua;
    h[0]![2]! += wss * ur * uA;
    h[0]![3]! += wss * ur * uB;
    h[1]![1]! += -ws * k * (iT * iT - itx * itx) + wss * ua * ua;
    h[1]![2]! += wss * ua * uA;
    h[1]![3]! += wss * ua * uB;
    h[2]![2]! += -ws * uA * uA + wss * uA * uA;
    h[2]![3]! += wss * uA * uB;
    h[3]![3]! += ws * uB * uB + wss * uB * uB;
  }
  return toLogScale([r, alpha, a, b], value, g, h, N);
}

/** The total BG/NBD log-likelihood of the customers at `params` (times in the params' unit). */
export function bgnbdLogLikelihood(params: BgNbdParams, customers: CustomerColumns | Triples): number {
  const data = prepare(asTriples(customers), 1);
  const logParams = [params.r, params.alpha, params.a, params.b].map(Math.log);
  return evaluate(data, logParams).value * data.customers;
}

/** Mean log-likelihood, gradient and Hessian w.r.t. log-parameters, for checks and tests. */
export function bgnbdEvaluation(params: BgNbdParams, customers: CustomerColumns | Triples): Evaluation {
  const data = prepare(asTriples(customers), 1);
  return evaluate(data, [params.r, params.alpha, params.a, params.b].map(Math.log));
}

/**
 * Maximum-likelihood BG/NBD fit. Times may be in days or weeks: internally they are divided by
 * the mean T, so the search is the same in either unit, and α is returned in the input unit.
 */
export function fitBgNbd(customers: CustomerColumns | Triples): BgNbdFit {
  const triples = asTriples(customers);
  const N = totalWeight(triples);
  if (N === 0) return unidentified(0, "no customers to fit");
  let weightedT = 0;
  let repeaters = 0;
  for (let j = 0; j < triples.weight.length; j++) {
    weightedT += triples.weight[j]! * triples.T[j]!;
    if (triples.frequency[j]! > 0) repeaters += triples.weight[j]!;
  }
  if (repeaters === 0) {
    return unidentified(
      N,
      "no customer has a repeat purchase: BG/NBD cannot tell purchase rates from dropout without repeat buyers",
    );
  }
  const scale = weightedT > 0 ? weightedT / N : 1;
  const data = prepare(triples, scale);
  const objective = (logParams: number[]) => evaluate(data, logParams);
  // Purchase rate r/α near the observed repeat rate Σx / ΣT; a few dropout shapes, best kept.
  const rateAlpha = Math.log(N / data.purchases);
  const starts = [
    [0, rateAlpha, 0, Math.log(3)],
    [Math.log(0.3), rateAlpha + Math.log(0.3), Math.log(0.5), Math.log(1.5)],
    [Math.log(3), rateAlpha + Math.log(3), Math.log(2), Math.log(10)],
  ];
  let best: BgNbdFit | null = null;
  for (const start of starts) {
    const search = maximize(objective, start, { tolerance: GRADIENT_TOLERANCE, giveUpAt: 30, maxIterations: 200 });
    const logParams = search.theta.slice();
    logParams[1]! += Math.log(scale);
    // Times divided by `scale` divide every purchase-time density by it: Σ w x ln(scale) apart.
    const logLikelihood = search.value * N - data.purchases * Math.log(scale);
    const fit = judgeFit(BGNBD_PARAMS, logParams, search, logLikelihood, N);
    if (best === null || isBetter(fit, best)) best = fit;
    if (best.converged) break;
  }
  return best!;
}

function asTriples(customers: CustomerColumns | Triples): Triples {
  // Compressing already distinct triples is one cheap pass, and it validates them.
  return compressTriples(customers);
}
