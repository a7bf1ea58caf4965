import { describe, expect, it } from "vitest";
import { childrenOf, findCycles, reachable, topologicalOrder } from "../../src/engine/dag.ts";

// Edges point from a node to what it reads.
const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

describe("findCycles", () => {
  it("finds every cycle at once, each as a closed path in reading order", () => {
    const cycles = findCycles(graph({ a: ["b"], b: ["a"], c: ["d"], d: ["e"], e: ["c"], f: ["a"], g: [] }));
    // f reads a but is not on a cycle; g is alone.
    expect(cycles).toEqual([
      ["a", "b", "a"],
      ["c", "d", "e", "c"],
    ]);
  });

  it("finds a model that reads itself, and nothing in an acyclic graph", () => {
    expect(findCycles(graph({ a: ["a"] }))).toEqual([["a", "a"]]);
    expect(findCycles(graph({ a: ["b", "c"], b: ["c"], c: [] }))).toEqual([]);
  });

  it("ignores edges to unknown nodes (those are missing refs)", () => {
    expect(findCycles(graph({ a: ["zz"] }))).toEqual([]);
  });

  it("handles a chain of 10,000 models without overflowing the stack", () => {
    const edges: Record<string, string[]> = {};
    for (let i = 0; i < 10_000; i++) edges[`m${i}`] = i === 0 ? [] : [`m${i - 1}`];
    expect(findCycles(graph(edges))).toEqual([]);
  });
});

describe("topologicalOrder", () => {
  it("puts dependencies first and breaks ties by id", () => {
    // mart reads int_a and int_b; both read stg; seed is independent.
    const order = topologicalOrder(
      graph({ mart: ["int_b", "int_a"], int_b: ["stg"], int_a: ["stg"], stg: [], seed: [] }),
    );
    expect(order).toEqual(["seed", "stg", "int_a", "int_b", "mart"]);
  });
});

describe("reachable", () => {
  const parents = graph({ mart: ["int"], int: ["stg"], stg: ["seed"], seed: [] });
  it("walks ancestors and descendants, optionally to a depth", () => {
    expect([...reachable(parents, "mart")].sort()).toEqual(["int", "seed", "stg"]);
    expect([...reachable(parents, "mart", 2)].sort()).toEqual(["int", "stg"]);
    expect([...reachable(childrenOf(parents), "stg")].sort()).toEqual(["int", "mart"]);
  });
});
