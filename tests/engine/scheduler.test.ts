import { describe, expect, it } from "vitest";
import type { Adapter } from "../../src/engine/adapters/adapter.ts";
import { type Outcome, schedule } from "../../src/engine/scheduler.ts";

const connection = (name: string) => ({ name }) as unknown as Adapter;

/** Work that finishes when the test says so, recording what ran at once. */
function controlled() {
  const pending = new Map<string, (outcome: Outcome) => void>();
  const log: string[] = [];
  let running = 0;
  let most = 0;
  return {
    log,
    most: () => most,
    work: (id: string) =>
      new Promise<Outcome>((resolve) => {
        running++;
        most = Math.max(most, running);
        log.push(`start ${id}`);
        pending.set(id, (outcome) => {
          running--;
          log.push(`end ${id}`);
          resolve(outcome);
        });
      }),
    finish: async (id: string, outcome: Outcome = "ok") => {
      // Let the scheduler reach the point where `id` has started.
      for (let i = 0; i < 10 && !pending.has(id); i++) await Promise.resolve();
      pending.get(id)?.(outcome);
      pending.delete(id);
      for (let i = 0; i < 10; i++) await Promise.resolve();
    },
  };
}

describe("schedule", () => {
  const parents: Record<string, string[]> = { a: [], b: [], c: ["a", "b"], d: ["c"], e: [] };

  it("runs independent nodes at once and a node after all its parents", async () => {
    const work = controlled();
    const skipped: string[] = [];
    const done = schedule(
      ["a", "b", "e", "c", "d"],
      (id) => parents[id] ?? [],
      [connection("1"), connection("2")],
      {
        work: work.work,
        skip: (id) => skipped.push(id),
      },
    );
    await work.finish("a");
    await work.finish("b");
    await work.finish("e");
    await work.finish("c");
    await work.finish("d");
    await done;
    // Two connections: a and b start together; e takes a's connection; c waits for a and b.
    expect(work.log).toEqual([
      "start a",
      "start b",
      "end a",
      "start e",
      "end b",
      "start c",
      "end e",
      "end c",
      "start d",
      "end d",
    ]);
    expect(work.most()).toBe(2);
    expect(skipped).toEqual([]);
  });

  it("skips what depends on a failure and carries on with the rest", async () => {
    const work = controlled();
    const skipped: string[] = [];
    const done = schedule(["a", "b", "e", "c", "d"], (id) => parents[id] ?? [], [connection("1")], {
      work: work.work,
      skip: (id, because) => skipped.push(`${id} because ${because}`),
    });
    await work.finish("a", "failed");
    await work.finish("b");
    await work.finish("e");
    await done;
    expect(skipped).toEqual(["c because a", "d because c"]);
    expect(work.log).toEqual(["start a", "end a", "start b", "end b", "start e", "end e"]);
  });
});
