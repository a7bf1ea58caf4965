/**
 * Gamma-Gamma spend model (Fader & Hardie 2013, "The Gamma-Gamma model of monetary value"):
 * a customer's transaction values are Gamma(p, ν), ν ~ Gamma(q, v) across customers. The
 * likelihood is the density of each repeat buyer's mean spend m over x transactions:
 *
 *   ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln m + px ln x − (px+q) ln(v + x m).
 *
 * Fitted on repeat buyers with positive mean spend (the caller's rule, metrics.md); money may be
 * in any unit: it is divided by the mean spend internally and v is returned in the input unit.
 */
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

export const GAMMA_GAMMA_PARAMS = ["p", "q", "v"] as const;
export type GammaGammaFit = FitResult<(typeof GAMMA_GAMMA_PARAMS)[number]>;

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

/**
 * Buyers as columns: repeat purchases x and their mean spend m. Only rows with x > 0 and m > 0
 * enter the fit (metrics.md); the others are skipped, so all buyers may be passed.
 */
export interface SpendColumns {
  frequency: ArrayLike<number>;
  monetaryValue: ArrayLike<number>;
  /** How many customers each row stands for; 1 each when absent. */
  weight?: ArrayLike<number>;
}

interface Prepared {
  x: Float64Array;
  /** x m, in units of `scale`. */
  xm: Float64Array;
  weight: Float64Array;
  distinctX: number[];
  weightOfX: number[];
  /** Σ w ln m (m scaled) per distinct x. */
  sumLogM: number[];
  customers: number;
  scale: number;
}

// Keeps the rows the contract fits (frequency > 0 and monetary value > 0); throws on values no
// purchase history produces (a caller bug).
function prepare(spend: SpendColumns): Prepared {
  const { frequency, monetaryValue, weight } = spend;
  const n = frequency.length;
  if (monetaryValue.length !== n || (weight !== undefined && weight.length !== n)) {
    throw new Error("invalid spend columns: lengths differ");
  }
  const rows: number[] = [];
  let customers = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = frequency[i]!;
    const m = monetaryValue[i]!;
    const w = weight === undefined ? 1 : weight[i]!;
    if (!(Number.isInteger(x) && x >= 0)) throw new Error(`invalid frequency at row ${i}: ${x}`);
    if (!Number.isFinite(m)) throw new Error(`invalid monetary value at row ${i}: ${m}`);
    if (!(w >= 0 && Number.isFinite(w))) throw new Error(`invalid weight at row ${i}: ${w}`);
    if (x === 0 || m <= 0 || w === 0) continue;
    rows.push(i);
    customers += w;
    total += w * m;
  }
  const scale = customers > 0 ? total / customers : 1;
  const indexOfX = new Map<number, number>();
  const distinctX: number[] = [];
  const weightOfX: number[] = [];
  const sumLogM: number[] = [];
  const xs = new Float64Array(rows.length);
  const xm = new Float64Array(rows.length);
  const weights = new Float64Array(rows.length);
  rows.forEach((i, row) => {
    const x = frequency[i]!;
    const m = monetaryValue[i]! / scale;
    const w = weight === undefined ? 1 : weight[i]!;
    let k = indexOfX.get(x);
    if (k === undefined) {
      k = distinctX.length;
      indexOfX.set(x, k);
      distinctX.push(x);
      weightOfX.push(0);
      sumLogM.push(0);
    }
    weightOfX[k]! += w;
    sumLogM[k]! += w * Math.log(m);
    xs[row] = x;
    xm[row] = x * m;
    weights[row] = w;
  });
  return { x: xs, xm, weight: weights, distinctX, weightOfX, sumLogM, customers, scale };
}

/** Mean log-likelihood with gradient and Hessian w.r.t. (ln p, ln q, ln v), v in scaled money. */
function evaluate(data: Prepared, logParams: number[]): Evaluation {
  const [p, q, v] = logParams.map((value) => Math.exp(value)) as [number, number, number];
  const g = [0, 0, 0];
  const h = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ] as number[][];
  const N = data.customers;
  const lnV = Math.log(v);
  let value = N * (q * lnV - lnGamma(q));
  g[1]! += N * (lnV - digamma(q));
  g[2]! += (N * q) / v;
  h[1]![1]! -= N * trigamma(q);
  h[1]![2]! += N / v;
  h[2]![2]! -= (N * q) / (v * v);
  for (let k = 0; k < data.distinctX.length; k++) {
    const x = data.distinctX[k]!;
    const w = data.weightOfX[k]!;
    const lnX = Math.log(x);
    const px = p * x;
    const [psiSum, psiPx] = [digamma(px + q), digamma(px)];
    const [triSum, triPx] = [trigamma(px + q), trigamma(px)];
    value += w * (lnGamma(px + q) - lnGamma(px) + px * lnX) + (px - 1) * data.sumLogM[k]!;
    g[0]! += w * x * (psiSum - psiPx + lnX) + x * data.sumLogM[k]!;
    g[1]! += w * psiSum;
    h[0]![0]! += w * x * x * (triSum - triPx);
    h[0]![1]! += w * x * triSum;
    h[1]![1]! += w * triSum;
  }
  // The per-customer term −(px + q) ln(v + x m).
  const { x: xs, xm, weight } = data;
  for (let i = 0; i < weight.length; i++) {
    const w = weight[i]!;
    const x = xs[i]!;
    const d = v + xm[i]!;
    const lnD = Math.log(d);
    const id = 1 / d;
    const k = p * x + q;
    value -= w * k * lnD;
    g[0]! -= w * x * lnD;
    g[1]! -= w * lnD;
    g[2]! -= w * k * id;
    h[0]![2]! -= w * x * id;
    h[1]![2]! -= w * id;
    h[2]![2]! += w * k * id * id;
  }
  return toLogScale([p, q, v], value, g, h, N);
}

/** The total Gamma-Gamma log-likelihood (density of the mean spends) at `params`. */
export function gammaGammaLogLikelihood(params: GammaGammaParams, spend: SpendColumns): number {
  const data = prepare(spend);
  const logParams = [params.p, params.q, params.v / data.scale].map(Math.log);
  return (evaluate(data, logParams).value - Math.log(data.scale)) * data.customers;
}

/** Mean log-likelihood, gradient and Hessian w.r.t. log-parameters, for checks and tests. */
export function gammaGammaEvaluation(params: GammaGammaParams, spend: SpendColumns): Evaluation {
  const data = prepare(spend);
  const evaluation = evaluate(data, [params.p, params.q, params.v / data.scale].map(Math.log));
  return { ...evaluation, value: evaluation.value - Math.log(data.scale) };
}

/** Maximum-likelihood Gamma-Gamma fit over the buyers with frequency > 0 and monetary value > 0. */
export function fitGammaGamma(spend: SpendColumns, options: FitOptions = {}): GammaGammaFit {
  const data = prepare(spend);
  const N = data.customers;
  if (N === 0) {
    return unidentified(0, "no repeat buyer with positive spend: the Gamma-Gamma model needs repeat buyers");
  }
  const objective = (logParams: number[]) => evaluate(data, logParams);
  // Mean spend is 1 after scaling, and E[m] = p v / (q − 1): starts on that line.
  const starts = [
    [0, Math.log(3), Math.log(2)],
    [Math.log(5), Math.log(5), Math.log(0.8)],
    [Math.log(0.5), Math.log(1.5), Math.log(1)],
  ];
  let best: GammaGammaFit | null = null;
  for (const start of starts) {
    const search = maximize(objective, start, {
      tolerance: GRADIENT_TOLERANCE,
      giveUpAt: 30,
      maxIterations: options.maxIterations ?? 200,
    });
    const logParams = search.theta.slice();
    logParams[2]! += Math.log(data.scale);
    // Money divided by `scale` multiplies each mean-spend density by it: N ln(scale) apart.
    const logLikelihood = (search.value - Math.log(data.scale)) * N;
    const fit = judgeFit(GAMMA_GAMMA_PARAMS, logParams, search, logLikelihood, N);
    if (best === null || isBetter(fit, best)) best = fit;
    if (best.converged) break;
  }
  return best!;
}

/**
 * E[mean spend | x, m]: the posterior mean (p (v + x m)) / (p x + q − 1), a weighted average of
 * the population mean p v / (q − 1) and the customer's own mean m; null when p x + q ≤ 1 (the
 * posterior mean does not exist).
 */
export function expectedAverageSpend(
  params: GammaGammaParams,
  frequency: number,
  monetaryValue: number,
): number | null {
  const { p, q, v } = params;
  const denominator = p * frequency + q - 1;
  return denominator > 0 ? (p * (v + frequency * monetaryValue)) / denominator : null;
}

/** The population mean spend p v / (q − 1), or null when q ≤ 1 (the mean does not exist). */
export function populationAverageSpend(params: GammaGammaParams): number | null {
  return params.q > 1 ? (params.p * params.v) / (params.q - 1) : null;
}
