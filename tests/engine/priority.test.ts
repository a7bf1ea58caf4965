import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nodeFileSystem } from "../../src/engine/effects.ts";
import { longestChainFirst, previousSeconds } from "../../src/engine/priority.ts";

// a → b → c is a chain (b reads a, c reads b); d and e are leaves reading nothing.
const parents: Record<string, string[]> = { a: [], b: ["a"], c: ["b"], d: [], e: [] };
const parentsOf = (id: string) => parents[id] ?? [];
const alphabetical = ["a", "b", "c", "d", "e"];

describe("longestChainFirst", () => {
  it("without timings, puts the head of the longest chain before equal-cost leaves", () => {
    // Each node weighs 1: a = 1 + b = 1 + (1 + c) = 3, b = 2, c = 1, d = e = 1.
    // Heaviest first, ties in the given order: a (3), b (2), c (1), d (1), e (1).
    expect(longestChainFirst(["d", "e", "a", "b", "c"], parentsOf, () => undefined)).toEqual([
      "a",
      "b",
      "d",
      "e",
      "c",
    ]);
  });

  it("weights by the previous run's seconds", () => {
    // a 2 s, b 1 s, c 1 s: a = 4, b = 2, c = 1; d 5 s (a slow leaf), e 0.5 s.
    const seconds: Record<string, number> = { a: 2, b: 1, c: 1, d: 5, e: 0.5 };
    expect(longestChainFirst(alphabetical, parentsOf, (id) => seconds[id])).toEqual([
      "d",
      "a",
      "b",
      "c",
      "e",
    ]);
  });

  it("stays a topological order even when a parent took no time", () => {
    // a 0 s is floored (0.001), so a = 0.001 + b and still outranks b.
    const seconds: Record<string, number> = { a: 0, b: 3, c: 0, d: 10, e: 0 };
    const order = longestChainFirst(alphabetical, parentsOf, (id) => seconds[id]);
    for (const [id, ps] of Object.entries(parents)) {
      for (const parent of ps) expect(order.indexOf(parent)).toBeLessThan(order.indexOf(id));
    }
    expect(order[0]).toBe("d");
  });
});

describe("previousSeconds", () => {
  const fs = nodeFileSystem;
  const dir = mkdtempSync(join(tmpdir(), "huitou-priority-"));

  it("reads the successful nodes' execution times of run_results.json", async () => {
    const path = join(dir, "run_results.json");
    writeFileSync(
      path,
      JSON.stringify({
        results: [
          { unique_id: "model.huitou.a", status: "success", execution_time: 2.5 },
          { unique_id: "model.huitou.b", status: "error", execution_time: 0.1 },
          { unique_id: "test.huitou.t", status: "pass", execution_time: 1 },
        ],
      }),
    );
    expect([...(await previousSeconds(fs, path))]).toEqual([["model.huitou.a", 2.5]]);
  });

  it("gives no timings for a missing or torn file", async () => {
    expect((await previousSeconds(fs, join(dir, "missing.json"))).size).toBe(0);
    const torn = join(dir, "torn.json");
    writeFileSync(torn, '{"results": [');
    expect((await previousSeconds(fs, torn)).size).toBe(0);
  });
});
