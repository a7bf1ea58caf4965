import { describe, expect, it } from "vitest";
import { type Evaluation, maximize } from "../../src/analytics/maximize.ts";

const options = { tolerance: 1e-10, giveUpAt: 30, maxIterations: 200 };

describe("maximize", () => {
  it("finds the top of a concave quadratic in one Newton step", () => {
    // f = -(x - 1)² - 2 (y + 3)² + x y / 2; ∇f = 0 at x = 92/63... solve:
    // ∂x: -2(x-1) + y/2 = 0, ∂y: -4(y+3) + x/2 = 0 -> x = 1 + y/4, y = -3 + x/8
    // -> y = -3 + 1/8 + y/32 -> y (31/32) = -23/8 -> y = -92/31, x = 1 - 23/31 = 8/31.
    const f = ([x, y]: number[]): Evaluation => ({
      value: -((x! - 1) ** 2) - 2 * (y! + 3) ** 2 + (x! * y!) / 2,
      gradient: [-2 * (x! - 1) + y! / 2, -4 * (y! + 3) + x! / 2],
      hessian: [
        [-2, 0.5],
        [0.5, -4],
      ],
    });
    const result = maximize(f, [10, 10], options);
    expect(result.outcome).toBe("gradient");
    expect(result.theta[0]).toBeCloseTo(8 / 31, 12);
    expect(result.theta[1]).toBeCloseTo(-92 / 31, 12);
  });

  it("climbs through a region where Newton would go downhill (Rosenbrock, negated)", () => {
    // Maximum at (1, 1); from (-1.2, 1) plain Newton's Hessian is indefinite on the way.
    const f = ([x, y]: number[]): Evaluation => ({
      value: -((1 - x!) ** 2) - 100 * (y! - x! * x!) ** 2,
      gradient: [2 * (1 - x!) + 400 * x! * (y! - x! * x!), -200 * (y! - x! * x!)],
      hessian: [
        [-2 + 400 * y! - 1200 * x! * x!, 400 * x!],
        [400 * x!, -200],
      ],
    });
    const result = maximize(f, [-1.2, 1], options);
    expect(result.outcome).toBe("gradient");
    expect(result.theta[0]).toBeCloseTo(1, 10);
    expect(result.theta[1]).toBeCloseTo(1, 10);
  });

  it("reports a supremum at infinity as the boundary, not convergence", () => {
    // f = -e^(-x): increasing forever, its gradient e^(-x) vanishes only as x -> ∞.
    const f = ([x]: number[]): Evaluation => ({
      value: -Math.exp(-x!),
      gradient: [Math.exp(-x!)],
      hessian: [[-Math.exp(-x!)]],
    });
    const result = maximize(f, [0], { ...options, tolerance: 1e-30 });
    expect(result.outcome).toBe("boundary");
    expect(result.theta[0]).toBeGreaterThan(30);
  });

  it("stops at the iteration limit", () => {
    const f = ([x, y]: number[]): Evaluation => ({
      value: -((1 - x!) ** 2) - 100 * (y! - x! * x!) ** 2,
      gradient: [2 * (1 - x!) + 400 * x! * (y! - x! * x!), -200 * (y! - x! * x!)],
      hessian: [
        [-2 + 400 * y! - 1200 * x! * x!, 400 * x!],
        [400 * x!, -200],
      ],
    });
    const result = maximize(f, [-1.2, 1], { ...options, maxIterations: 2 });
    expect(result.outcome).toBe("max-iterations");
    expect(result.iterations).toBe(2);
  });
});
