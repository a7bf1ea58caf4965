import { describe, expect, it } from "vitest";
import { gaussLegendre, integrate } from "../../src/analytics/gaussLegendre.ts";

describe("gaussLegendre", () => {
  it("the 2-point rule is ±1/√3 with weights 1", () => {
    const { nodes, weights } = gaussLegendre(2);
    expect(nodes[0]).toBeCloseTo(-1 / Math.sqrt(3), 15);
    expect(nodes[1]).toBeCloseTo(1 / Math.sqrt(3), 15);
    expect(weights[0]).toBeCloseTo(1, 15);
    expect(weights[1]).toBeCloseTo(1, 15);
  });

  it("16 points integrate x^31 exactly and e^x to rounding", () => {
    const rule = gaussLegendre(16);
    // ∫_0^1 x^31 dx = 1/32; ∫_0^2 e^x dx = e² - 1 = 6.38905609893065
    expect(integrate((x) => x ** 31, 0, 1, rule)).toBeCloseTo(1 / 32, 15);
    expect(integrate(Math.exp, 0, 2, rule)).toBeCloseTo(Math.E ** 2 - 1, 13);
    // Weights sum to the interval length 2.
    expect(rule.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(2, 14);
  });
});
