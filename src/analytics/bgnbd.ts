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
  type FitOptions,
  type FitResult,
  GRADIENT_TOLERANCE,
  isBetter,
  judgeFit,
  toLogScale,
  unidentified,
} from "./fitResult.ts";
import { type Evaluation, maximize } from "./maximize.ts";
import { digamma, lnGamma, trigamma } from "./special.ts";
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
  /** Distinct values among all T and t_x (scaled): ln(α + time) is computed once per value. */
  times: Float64Array;
  /** Index into `times` of each triple's T and t_x. */
  tIndex: Int32Array;
  txIndex: Int32Array;
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
  // Whole days over a few years give a few thousand distinct times for millions of triples.
  const indexOfTime = new Map<number, number>();
  const times: number[] = [];
  const indexOf = (time: number) => {
    let i = indexOfTime.get(time);
    if (i === undefined) {
      i = times.length;
      indexOfTime.set(time, i);
      times.push(time);
    }
    return i;
  };
  const tIndex = Int32Array.from(scaled.T, indexOf);
  const txIndex = Int32Array.from(scaled.recency, indexOf);
  return {
    triples: scaled,
    xIndex,
    distinctX,
    weightOfX,
    customers: totalWeight(triples),
    purchases,
    scale,
    times: Float64Array.from(times),
    tIndex,
    txIndex,
  };
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
  const t = tripleTerms(data, r, alpha, a, b);
  value += t.value;
  for (let i = 0; i < 4; i++) {
    g[i]! += t.g[i]!;
    for (let j = i; j < 4; j++) h[i]![j]! += t.h[i]![j]!;
  }
  return toLogScale([r, alpha, a, b], value, g, h, N);
}

/**
 * Σ over triples of ℓ = −(r+x) ln(α+T) + ln(1 + eᵘ), u = ln(a/(b+x−1)) + (r+x) ln((α+T)/(α+t_x))
 * (the second term only for x > 0), with gradient and Hessian on the natural scale (upper
 * triangle). The hot loop of every fit: plain locals, table look-ups for the logarithms of
 * times, one exp and one log1p per repeat buyer's triple.
 */
function tripleTerms(data: Prepared, r: number, alpha: number, a: number, b: number) {
  const { frequency, weight } = data.triples;
  const { xIndex, tIndex, txIndex, times } = data;
  const lnTime = times.map((time) => Math.log(alpha + time));
  const invTime = times.map((time) => 1 / (alpha + time));
  // ln(b + x − 1) and 1/(b + x − 1) once per distinct x.
  const lnBx = Float64Array.from(data.distinctX, (x) => (x > 0 ? Math.log(b + x - 1) : 0));
  const invBx = Float64Array.from(data.distinctX, (x) => (x > 0 ? 1 / (b + x - 1) : 0));
  const lnA = Math.log(a);
  let value = 0;
  let gR = 0;
  let gAlpha = 0;
  let sumWs = 0;
  let sumWsB = 0;
  let hRR = 0;
  let hRAlpha = 0;
  let hRa = 0;
  let hRb = 0;
  let hAlphaAlpha = 0;
  let hAlphaA = 0;
  let hAlphaB = 0;
  let sumWss = 0;
  let hAB = 0;
  let hBB = 0;
  for (let j = 0; j < weight.length; j++) {
    const w = weight[j]!;
    const x = frequency[j]!;
    const k = r + x;
    const ti = tIndex[j]!;
    const lnAT = lnTime[ti]!;
    const iT = invTime[ti]!;
    value -= w * k * lnAT;
    gR -= w * lnAT;
    gAlpha -= w * k * iT;
    hRAlpha -= w * iT;
    hAlphaAlpha += w * k * iT * iT;
    if (x === 0) continue;
    const txi = txIndex[j]!;
    const itx = invTime[txi]!;
    // ln((α+T)/(α+t_x)) as a difference: its absolute error (~1e-15) is what u can bear.
    const gap = lnAT - lnTime[txi]!;
    const xi = xIndex[j]!;
    const u = lnA - lnBx[xi]! + k * gap;
    // s = 1/(1 + e^−u) and ln(1 + eᵘ) from one exponential, stable at either sign of u.
    let s: number;
    if (u > 0) {
      const e = Math.exp(-u);
      s = 1 / (1 + e);
      value += w * (u + Math.log1p(e));
    } else {
      const e = Math.exp(u);
      s = e / (1 + e);
      value += w * Math.log1p(e);
    }
    // u's derivatives: ∂r = gap, ∂α = k (1/(α+T) − 1/(α+t_x)), ∂a = 1/a, ∂b = −1/(b+x−1).
    const uAlpha = k * (iT - itx);
    const uB = -invBx[xi]!;
    const ws = w * s;
    const wss = ws * (1 - s);
    gR += ws * gap;
    gAlpha += ws * uAlpha;
    sumWs += ws;
    sumWsB += ws * uB;
    hRR += wss * gap * gap;
    hRAlpha += ws * (iT - itx) + wss * gap * uAlpha;
    hRa += wss * gap;
    hRb += wss * gap * uB;
    hAlphaAlpha += -ws * k * (iT * iT - itx * itx) + wss * uAlpha * uAlpha;
    hAlphaA += wss * uAlpha;
    hAlphaB += wss * uAlpha * uB;
    sumWss += wss;
    hAB += wss * uB;
    hBB += (ws + wss) * uB * uB;
  }
  // Terms in ∂u/∂a = 1/a were summed without it; ∂²u/∂a² = −1/a².
  return {
    value,
    g: [gR, gAlpha, sumWs / a, sumWsB],
    h: [
      [hRR, hRAlpha, hRa / a, hRb],
      [0, hAlphaAlpha, hAlphaA / a, hAlphaB],
      [0, 0, (sumWss - sumWs) / (a * a), hAB / a],
      [0, 0, 0, hBB],
    ],
  };
}

/** The total BG/NBD log-likelihood of the customers at `params` (times in the params' unit). */
export function bgnbdLogLikelihood(params: BgNbdParams, customers: CustomerColumns | Triples): number {
  const data = prepare(compressTriples(customers), 1);
  const logParams = [params.r, params.alpha, params.a, params.b].map(Math.log);
  return evaluate(data, logParams).value * data.customers;
}

/** Mean log-likelihood, gradient and Hessian w.r.t. log-parameters, for checks and tests. */
export function bgnbdEvaluation(params: BgNbdParams, customers: CustomerColumns | Triples): Evaluation {
  const data = prepare(compressTriples(customers), 1);
  return evaluate(data, [params.r, params.alpha, params.a, params.b].map(Math.log));
}

/**
 * Maximum-likelihood BG/NBD fit. Times may be in days or weeks: internally they are divided by
 * the mean T, so the search is the same in either unit, and α is returned in the input unit.
 */
export function fitBgNbd(customers: CustomerColumns | Triples, options: FitOptions = {}): BgNbdFit {
  const triples = compressTriples(customers);
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
    const search = maximize(objective, start, {
      tolerance: GRADIENT_TOLERANCE,
      giveUpAt: 30,
      maxIterations: options.maxIterations ?? 200,
    });
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
