import { describe, expect, it } from "vitest";
import type { Adapter } from "../../src/engine/adapters/adapter.ts";
import { StatementTimer } from "../../src/engine/timedAdapter.ts";

describe("StatementTimer", () => {
  it("counts overlapping statements once", async () => {
    // A fake clock: each call to now() returns the next reading.
    const readings = [0, 10, 5, 20, 30, 35];
    const timer = new StatementTimer({ now: () => readings.shift() ?? 0, date: () => new Date(0) });
    const adapter = timer.wrap({
      execute: async () => {},
      query: async () => ({ columns: [], rows: [] }),
      loadFile: async () => 0,
      listRelations: async () => [],
      close: async () => {},
    } satisfies Adapter);
    await adapter.execute("a"); // 0..10
    await adapter.execute("b"); // 5..20, overlaps: union 0..20
    await adapter.query("c"); // 30..35
    // 20 + 5 = 25 ms.
    expect(timer.busy()).toBe(25);
  });
});
