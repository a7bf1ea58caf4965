/**
 * Maximisation of a smooth objective with an exact gradient and Hessian: Newton steps damped
 * Levenberg–Marquardt style (solve (−H + μI) δ = g, shrink μ after a success, grow it after a
 * failure), which is globally convergent where plain Newton is not, then plain Newton steps to
 * polish the optimum down to rounding. Convergence is judged on the gradient, never on a small
 * change of the value: likelihoods like BG/NBD's are flat, and stop early on that criterion.
 */
import { cholesky, choleskySolve, type Matrix } from "./linalg.ts";

export interface Evaluation {
  value: number;
  gradient: number[];
  hessian: Matrix;
}

export interface MaximizeOptions {
  /** Converged when every |gradient component| is below this. */
  tolerance: number;
  /** Give up (outcome `boundary`) once a coordinate's magnitude exceeds this. */
  giveUpAt: number;
  /** Accepted steps at most. */
  maxIterations: number;
}

/** Why the search stopped. Only `gradient` means a stationary point was reached. */
export type Outcome = "gradient" | "boundary" | "max-iterations" | "stalled";

export interface MaximizeResult extends Evaluation {
  theta: number[];
  iterations: number;
  outcome: Outcome;
}

const MAX_STEP = 3;
const POLISH_STEPS = 4;

/** Largest absolute component. */
export function maxAbs(values: readonly number[]): number {
  let max = 0;
  for (const value of values) max = Math.max(max, Math.abs(value));
  return Number.isNaN(max) ? Number.POSITIVE_INFINITY : max;
}

/** Climbs from `start`; `objective` must return a finite value or NaN/-Infinity outside its domain. */
export function maximize(
  objective: (theta: number[]) => Evaluation,
  start: number[],
  options: MaximizeOptions,
): MaximizeResult {
  let theta = start.slice();
  let current = objective(theta);
  if (!Number.isFinite(current.value)) throw new Error(`invalid starting point: ${start.join(", ")}`);
  let iterations = 0;
  let mu = 0;
  let outcome: Outcome = "max-iterations";
  while (iterations < options.maxIterations) {
    if (maxAbs(current.gradient) < options.tolerance) {
      outcome = "gradient";
      break;
    }
    if (maxAbs(theta) > options.giveUpAt) {
      outcome = "boundary";
      break;
    }
    const scale = Math.max(1e-12, ...current.hessian.map((row, i) => Math.abs(row[i]!)));
    let accepted = false;
    while (mu <= 1e12 * scale) {
      const step = dampedNewtonStep(current, mu);
      if (step === null) {
        mu = Math.max(4 * mu, 1e-6 * scale);
        continue;
      }
      const candidate = theta.map((value, i) => value + step[i]!);
      const next = objective(candidate);
      if (improves(next, current)) {
        theta = candidate;
        current = next;
        mu = mu < 1e-9 * scale ? 0 : mu / 4;
        accepted = true;
        break;
      }
      mu = Math.max(4 * mu, 1e-6 * scale);
    }
    if (!accepted) {
      outcome = "stalled";
      break;
    }
    iterations++;
  }
  if (outcome === "gradient") {
    // Newton converges quadratically here: a few more steps take the gradient to rounding,
    // so the optimum does not depend on where the tolerance happened to be crossed.
    for (let i = 0; i < POLISH_STEPS; i++) {
      const step = dampedNewtonStep(current, 0);
      // A step below 1e-13 changes no parameter beyond its last few bits: done.
      if (step === null || maxAbs(step) < 1e-13) break;
      const candidate = theta.map((value, j) => value + step[j]!);
      const next = objective(candidate);
      if (!(Number.isFinite(next.value) && maxAbs(next.gradient) < maxAbs(current.gradient))) break;
      theta = candidate;
      current = next;
    }
  }
  return { theta, ...current, iterations, outcome };
}

// δ solving (−H + μI) δ = g, shortened to at most MAX_STEP per coordinate; null when −H + μI is
// not positive definite (the caller raises μ).
function dampedNewtonStep(at: Evaluation, mu: number): number[] | null {
  const n = at.gradient.length;
  const system = at.hessian.map((row, i) => row.map((value, j) => -value + (i === j ? mu : 0)));
  const factor = cholesky(system);
  if (factor === null) return null;
  const step = choleskySolve(factor, at.gradient);
  const longest = maxAbs(step);
  if (!Number.isFinite(longest)) return null;
  const shrink = longest > MAX_STEP ? MAX_STEP / longest : 1;
  return step.slice(0, n).map((value) => value * shrink);
}

// Uphill, or level within rounding while the gradient shrinks (near the optimum the value
// changes by less than its own rounding error, but the gradient still tells progress).
function improves(next: Evaluation, current: Evaluation): boolean {
  if (!Number.isFinite(next.value) || next.gradient.some((g) => !Number.isFinite(g))) return false;
  if (next.value > current.value) return true;
  const slack = 1e-14 * (1 + Math.abs(current.value));
  return next.value >= current.value - slack && maxAbs(next.gradient) < maxAbs(current.gradient);
}
