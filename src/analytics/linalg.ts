/**
 * Dense linear algebra for the few-parameter fits (3 or 4 unknowns): Cholesky factorisation,
 * solves and inverses of symmetric positive-definite matrices. Matrices are arrays of rows.
 */

export type Matrix = number[][];

/** Lower-triangular L with L Lᵀ = m, or null when m is not (numerically) positive definite. */
export function cholesky(m: Matrix): Matrix | null {
  const n = m.length;
  const l: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = m[i]![j]!;
      for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (!(sum > 0)) return null;
        l[i]![i] = Math.sqrt(sum);
      } else {
        l[i]![j] = sum / l[j]![j]!;
      }
    }
  }
  return l;
}

/** Solves L Lᵀ y = rhs given the Cholesky factor L. */
export function choleskySolve(l: Matrix, rhs: ArrayLike<number>): number[] {
  const n = l.length;
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = rhs[i]!;
    for (let k = 0; k < i; k++) sum -= l[i]![k]! * y[k]!;
    y[i] = sum / l[i]![i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k]![i]! * y[k]!;
    y[i] = sum / l[i]![i]!;
  }
  return y;
}

/** The inverse of a symmetric positive-definite matrix, or null when it is not one. */
export function inverseSpd(m: Matrix): Matrix | null {
  const l = cholesky(m);
  if (l === null) return null;
  const n = m.length;
  const columns = Array.from({ length: n }, (_, j) => choleskySolve(l, unitVector(n, j)));
  // Columns of the inverse are its rows too (it is symmetric); average to remove rounding asymmetry.
  return columns.map((row, i) => row.map((value, j) => (value + columns[j]![i]!) / 2));
}

function unitVector(n: number, j: number): number[] {
  const e = new Array<number>(n).fill(0);
  e[j] = 1;
  return e;
}
