import { describe, expect, it } from "vitest";
import {
  betaVariate,
  logGammaVariate,
  seededRandom,
  simulateCustomers,
} from "../../src/analytics/simulate.ts";

describe("seeded samplers", () => {
  it("are deterministic", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(seededRandom(43)()).not.toBe(first[0]);
  });

  it("uniforms have mean 1/2 and variance 1/12", () => {
    const random = seededRandom(1);
    const n = 200_000;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const u = random();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      squares += u * u;
    }
    // Standard error of the mean: √(1/12 / n) = 6.5e-4; 5 of them = 3.2e-3.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(3.2e-3);
    expect(Math.abs(squares / n - (sum / n) ** 2 - 1 / 12)).toBeLessThan(2e-3);
  });

  it.each([0.3, 1, 4.5])("Gamma(%f, 1) draws have mean and variance equal to the shape", (shape) => {
    const random = seededRandom(7);
    const n = 100_000;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const g = Math.exp(logGammaVariate(random, shape));
      sum += g;
      squares += g * g;
    }
    const mean = sum / n;
    // SE of the mean √(shape/n); allow 5 SE. Variance loosely (10%).
    expect(Math.abs(mean - shape)).toBeLessThan(5 * Math.sqrt(shape / n));
    expect(Math.abs(squares / n - mean * mean - shape) / shape).toBeLessThan(0.1);
  });

  it("Beta(0.5, 2) draws have mean a/(a+b) = 0.2", () => {
    const random = seededRandom(9);
    const n = 100_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += betaVariate(random, 0.5, 2);
    // Var = ab/((a+b)²(a+b+1)) = 1/(6.25 × 3.5) = 0.0457; SE = √(0.0457/n) = 6.8e-4; 5 SE = 3.4e-3
    expect(Math.abs(sum / n - 0.2)).toBeLessThan(3.4e-3);
  });
});

describe("simulateCustomers", () => {
  it("without dropout (b huge) repeat purchases are negative binomial: E[x] = r T / α", () => {
    // a = 1e-6, b = 1: mean dropout probability 1e-6, so X(T) ~ NBD with mean r T / α.
    // r = 2, α = 10, T = 20 for everyone: E[x] = 4; Var = rT/α + r(T/α)² = 4 + 8 = 12.
    const customers = simulateCustomers({
      customers: 50_000,
      seed: 5,
      bgnbd: { r: 2, alpha: 10, a: 1e-6, b: 1 },
      minT: 20,
      maxT: 20,
    });
    const mean = customers.frequency.reduce((a, b) => a + b, 0) / 50_000;
    // SE = √(12 / 50000) = 0.0155; 5 SE = 0.077
    expect(Math.abs(mean - 4)).toBeLessThan(0.077);
    for (let i = 0; i < 100; i++) {
      expect(customers.recency[i]!).toBeLessThanOrEqual(customers.T[i]!);
    }
  });

  it("whole days merge same-day purchases and give whole-day times", () => {
    const customers = simulateCustomers({
      customers: 2000,
      seed: 8,
      bgnbd: { r: 3, alpha: 1, a: 0.5, b: 5 },
      minT: 0,
      maxT: 100,
      wholeUnits: true,
    });
    for (let i = 0; i < 2000; i++) {
      expect(Number.isInteger(customers.T[i])).toBe(true);
      expect(Number.isInteger(customers.recency[i])).toBe(true);
      // At most one purchase per day after the first: x <= recency.
      expect(customers.frequency[i]!).toBeLessThanOrEqual(customers.recency[i]!);
    }
  });
});
