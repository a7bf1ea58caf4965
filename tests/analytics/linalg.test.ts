import { describe, expect, it } from "vitest";
import { cholesky, choleskySolve, inverseSpd } from "../../src/analytics/linalg.ts";

describe("linalg", () => {
  // [[4, 2], [2, 3]] = L Lᵀ with L = [[2, 0], [1, √2]]; inverse = [[3, -2], [-2, 4]] / 8.
  const m = [
    [4, 2],
    [2, 3],
  ];

  it("Cholesky factor by hand", () => {
    const l = cholesky(m)!;
    expect(l[0]).toEqual([2, 0]);
    expect(l[1]![0]).toBe(1);
    expect(l[1]![1]).toBeCloseTo(Math.SQRT2, 15);
  });

  it("solves and inverts", () => {
    // m [1, -1] = [2, -1]
    const y = choleskySolve(cholesky(m)!, [2, -1]);
    expect(y[0]).toBeCloseTo(1, 14);
    expect(y[1]).toBeCloseTo(-1, 14);
    const inv = inverseSpd(m)!;
    expect(inv[0]![0]).toBeCloseTo(3 / 8, 15);
    expect(inv[0]![1]).toBeCloseTo(-2 / 8, 15);
    expect(inv[1]![1]).toBeCloseTo(4 / 8, 15);
  });

  it("refuses matrices that are not positive definite", () => {
    expect(
      cholesky([
        [1, 2],
        [2, 1],
      ]),
    ).toBeNull();
    expect(
      inverseSpd([
        [0, 0],
        [0, 1],
      ]),
    ).toBeNull();
  });
});
