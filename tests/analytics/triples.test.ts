import { describe, expect, it } from "vitest";
import { compressTriples, totalWeight } from "../../src/analytics/triples.ts";

describe("compressTriples", () => {
  it("groups equal triples in order of first appearance and sums weights", () => {
    const triples = compressTriples({
      frequency: [2, 0, 2, 0, 1, 2],
      // Recency of a one-time buyer is ignored (set to 0), so rows 2 and 4 are one triple.
      recency: [10, 0, 10, 3, 4, 10],
      T: [20, 30, 20, 30, 5, 21],
    });
    expect([...triples.frequency]).toEqual([2, 0, 1, 2]);
    expect([...triples.recency]).toEqual([10, 0, 4, 10]);
    expect([...triples.T]).toEqual([20, 30, 5, 21]);
    // (2,10,20) twice, (0,0,30) twice, the others once: 2 + 2 + 1 + 1 = 6 customers.
    expect([...triples.weight]).toEqual([2, 2, 1, 1]);
    expect(totalWeight(triples)).toBe(6);
  });

  it("adds given weights and drops zero-weight rows", () => {
    const triples = compressTriples({
      frequency: [1, 1, 3],
      recency: [2, 2, 9],
      T: [5, 5, 9],
      weight: [2.5, 4, 0],
    });
    expect([...triples.weight]).toEqual([6.5]);
  });

  it("treats -0 as 0", () => {
    expect(compressTriples({ frequency: [1, 1], recency: [-0, 0], T: [3, 3] }).weight.length).toBe(1);
  });

  it("many whole-day triples: 300 × 300 distinct, each 3 times", () => {
    const frequency: number[] = [];
    const recency: number[] = [];
    const T: number[] = [];
    for (let copy = 0; copy < 3; copy++) {
      for (let t = 0; t < 300; t++) {
        for (let tx = 0; tx < 300; tx++) {
          frequency.push(1);
          recency.push(tx);
          T.push(t + 300);
        }
      }
    }
    const triples = compressTriples({ frequency, recency, T });
    expect(triples.weight.length).toBe(90_000);
    expect(triples.weight.every((w) => w === 3)).toBe(true);
  });

  it("rejects summaries no history produces", () => {
    expect(() => compressTriples({ frequency: [-1], recency: [0], T: [1] })).toThrow(/invalid frequency/);
    expect(() => compressTriples({ frequency: [1], recency: [5], T: [4] })).toThrow(/invalid recency/);
    expect(() => compressTriples({ frequency: [1], recency: [1], T: [Number.NaN] })).toThrow(
      /invalid recency/,
    );
    expect(() => compressTriples({ frequency: [1, 2], recency: [1], T: [2] })).toThrow(/lengths differ/);
  });
});
