/**
 * What a model fit reports, and the two judgements every fit shares: whether it converged by
 * the contract's criterion (metrics.md, clv_model) and the standard errors from the observed
 * information.
 */
import { inverseSpd, type Matrix } from "./linalg.ts";
import { type Evaluation, type MaximizeResult, maxAbs } from "./maximize.ts";

/** Parameter values by name (r, alpha, a, b or p, q, v). */
export type Params<Name extends string> = Record<Name, number>;

export interface FitResult<Name extends string> {
  /** Maximum-likelihood estimates on the natural scale; null when the model cannot be identified. */
  params: Params<Name> | null;
  /** Standard errors on the natural scale from the observed information; null unless converged. */
  stdErrors: Params<Name> | null;
  /** The full log-likelihood at `params`, in the caller's units (NaN without params). */
  logLikelihood: number;
  /** True only for an interior optimum with every gradient component below GRADIENT_TOLERANCE. */
  converged: boolean;
  /** Accepted optimiser steps (of the best start). */
  iterations: number;
  /** max |∂ mean log-likelihood per customer / ∂ log parameter| at `params`. */
  gradientNorm: number;
  /** Customers (total weight) the fit used. */
  customers: number;
  /** Empty when converged; otherwise why not, in words a page can show. */
  note: string;
}

export interface FitOptions {
  /** Accepted optimiser steps per start (200 by default); a fit that needs more is not converged. */
  maxIterations?: number;
}

/** The contract's criterion: interior (|log θ| ≤ 15) and gradient of the mean below 1e-8. */
export const GRADIENT_TOLERANCE = 1e-8;
export const LOG_PARAMETER_BOUND = 15;

/**
 * Builds the result of a finished search over log-parameters. `logParams` are in the caller's
 * units; `hessian` is the Hessian of the mean log-likelihood w.r.t. them; `names` label them.
 */
export function judgeFit<Name extends string>(
  names: readonly Name[],
  logParams: number[],
  search: MaximizeResult,
  logLikelihood: number,
  customers: number,
): FitResult<Name> {
  const gradientNorm = maxAbs(search.gradient);
  const params = toParams(
    names,
    logParams.map((value) => Math.exp(value)),
  );
  const outside = names.filter((_, i) => Math.abs(logParams[i]!) > LOG_PARAMETER_BOUND);
  let note = "";
  if (outside.length > 0) {
    note = `the likelihood keeps rising towards the edge of the parameter space (${outside
      .map((name) => `${name} = ${formatNumber(params[name])}`)
      .join(", ")}): the data cannot identify the model`;
  } else if (search.outcome === "stalled") {
    note = `the optimiser could not climb further with the gradient at ${formatNumber(gradientNorm)} (tolerance ${GRADIENT_TOLERANCE})`;
  } else if (gradientNorm >= GRADIENT_TOLERANCE) {
    const steps = search.iterations === 1 ? "1 iteration" : `${search.iterations} iterations`;
    note = `no convergence after ${steps}: gradient ${formatNumber(gradientNorm)} (tolerance ${GRADIENT_TOLERANCE})`;
  }
  // The observed information means something only at an optimum.
  const stdErrors = note === "" ? standardErrors(names, logParams, search.hessian, customers) : null;
  if (note === "" && stdErrors === null) {
    note = "the observed information is not positive definite at the stationary point: not a maximum";
  }
  return {
    params,
    stdErrors,
    logLikelihood,
    converged: note === "",
    iterations: search.iterations,
    gradientNorm,
    customers,
    note,
  };
}

/** A fit that never ran because the data cannot identify the model. */
export function unidentified<Name extends string>(customers: number, note: string): FitResult<Name> {
  return {
    params: null,
    stdErrors: null,
    logLikelihood: Number.NaN,
    converged: false,
    iterations: 0,
    gradientNorm: Number.NaN,
    customers,
    note,
  };
}

/** Converged beats not converged; then the higher likelihood. */
export function isBetter<Name extends string>(fit: FitResult<Name>, than: FitResult<Name>): boolean {
  if (fit.converged !== than.converged) return fit.converged;
  return fit.logLikelihood > than.logLikelihood || Number.isNaN(than.logLikelihood);
}

/** Chain rule to log-parameters, divided by N: ∂/∂ln θ = θ ∂/∂θ; H_ij θ_i θ_j + δ_ij θ_i g_i. */
export function toLogScale(
  theta: number[],
  value: number,
  g: number[],
  h: number[][],
  N: number,
): Evaluation {
  const n = theta.length;
  const gradient = g.map((gi, i) => (theta[i]! * gi) / N);
  const hessian = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      const hij = i <= j ? h[i]![j]! : h[j]![i]!;
      return (theta[i]! * theta[j]! * hij + (i === j ? theta[i]! * g[i]! : 0)) / N;
    }),
  );
  return { value: value / N, gradient, hessian };
}

// Cov(log θ) = (−N H_mean)^{-1}; at an optimum the delta method gives SE(θ) = θ SE(log θ) exactly
// (the gradient term of the change of variables vanishes there).
function standardErrors<Name extends string>(
  names: readonly Name[],
  logParams: number[],
  meanHessian: Matrix,
  customers: number,
): Params<Name> | null {
  const information = meanHessian.map((row) => row.map((value) => -value * customers));
  const covariance = inverseSpd(information);
  if (covariance === null) return null;
  return toParams(
    names,
    names.map((_, i) => Math.exp(logParams[i]!) * Math.sqrt(covariance[i]![i]!)),
  );
}

function toParams<Name extends string>(names: readonly Name[], values: number[]): Params<Name> {
  return Object.fromEntries(names.map((name, i) => [name, values[i]!])) as Params<Name>;
}

function formatNumber(value: number): string {
  return Number.isFinite(value) ? value.toPrecision(4) : String(value);
}
