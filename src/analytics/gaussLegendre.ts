/**
 * Gauss–Legendre quadrature: nodes and weights on [-1, 1], computed once by Newton's method on
 * the Legendre polynomial (Golub–Welsch is not needed at these orders).
 */

export interface QuadratureRule {
  nodes: Float64Array;
  weights: Float64Array;
}

/** The n-point rule, exact for polynomials of degree 2n − 1. */
export function gaussLegendre(n: number): QuadratureRule {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`invalid quadrature order: ${n}`);
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    // Tricomi's initial guess for the i-th root, then Newton.
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let derivative = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      derivative = (n * (x * p1 - p0)) / (x * x - 1);
      const step = p1 / derivative;
      x -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    const weight = 2 / ((1 - x * x) * derivative * derivative);
    nodes[i] = -x;
    nodes[n - 1 - i] = x;
    weights[i] = weight;
    weights[n - 1 - i] = weight;
  }
  return { nodes, weights };
}

/** ∫ f over [lo, hi] with the given rule. */
export function integrate(f: (x: number) => number, lo: number, hi: number, rule: QuadratureRule): number {
  const half = (hi - lo) / 2;
  const mid = (hi + lo) / 2;
  let sum = 0;
  for (let i = 0; i < rule.nodes.length; i++) sum += rule.weights[i]! * f(mid + half * rule.nodes[i]!);
  return sum * half;
}
