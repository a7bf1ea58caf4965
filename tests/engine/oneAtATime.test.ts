import { describe, expect, it } from "vitest";
import { oneAtATime } from "../../src/engine/oneAtATime.ts";

/** A task that notes when it starts and ends, ending after `ticks` turns of the event loop. */
function task(log: string[], name: string, ticks: number, fail = false) {
  return async () => {
    log.push(`${name} start`);
    for (let i = 0; i < ticks; i++) await new Promise((resolve) => setImmediate(resolve));
    log.push(`${name} end`);
    if (fail) throw new Error(`${name} failed`);
    return name;
  };
}

describe("oneAtATime", () => {
  it("starts each task when the one before it has ended, in the order they came", async () => {
    const queue = oneAtATime();
    const log: string[] = [];
    // b is shorter than a: run together, b would end first
    const results = await Promise.all([
      queue(task(log, "a", 5)),
      queue(task(log, "b", 1)),
      queue(task(log, "c", 1)),
    ]);
    expect(results).toEqual(["a", "b", "c"]);
    expect(log).toEqual(["a start", "a end", "b start", "b end", "c start", "c end"]);
  });

  it("goes on after a task fails, and the failure reaches its caller", async () => {
    const queue = oneAtATime();
    const log: string[] = [];
    const failed = queue(task(log, "a", 2, true));
    const next = queue(task(log, "b", 1));
    await expect(failed).rejects.toThrow("a failed");
    await expect(next).resolves.toBe("b");
    expect(log).toEqual(["a start", "a end", "b start", "b end"]);
  });
});
