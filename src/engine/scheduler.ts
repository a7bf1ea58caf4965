/**
 * Runs a set of graph nodes on a pool of connections: a node starts as soon as every node it
 * depends on (within the set) has succeeded, so independent models build in parallel; a node
 * whose dependency failed is skipped, and unrelated branches carry on (dbt's behaviour).
 */
import type { Adapter } from "./adapters/adapter.ts";

export type Outcome = "ok" | "failed";

export interface ScheduleHooks {
  /** Builds one node on `connection`; resolves to its outcome (errors are the caller's to record). */
  work(id: string, connection: Adapter): Promise<Outcome>;
  /** Called for a node not run because `because` (a dependency) failed or was skipped. */
  skip(id: string, because: string): void;
}

/**
 * Runs `order` (a topological order of the ids to run; dependencies outside it are taken as
 * already built) with at most `pool.length` nodes at a time.
 */
export function schedule(
  order: readonly string[],
  parentsOf: (id: string) => readonly string[],
  pool: readonly Adapter[],
  hooks: ScheduleHooks,
): Promise<void> {
  if (pool.length === 0) throw new Error("invalid pool: no connection");
  const inSet = new Set(order);
  const state = new Map<string, "waiting" | "running" | Outcome | "skipped">(
    order.map((id) => [id, "waiting"]),
  );
  const free = [...pool];
  let running = 0;
  return new Promise((resolve, reject) => {
    const tick = () => {
      for (const id of order) {
        if (state.get(id) !== "waiting") continue;
        const parents = parentsOf(id).filter((parent) => inSet.has(parent));
        const blocked = parents.find((parent) => {
          const s = state.get(parent);
          return s === "failed" || s === "skipped";
        });
        if (blocked !== undefined) {
          state.set(id, "skipped");
          hooks.skip(id, blocked);
          continue;
        }
        if (free.length === 0 || !parents.every((parent) => state.get(parent) === "ok")) continue;
        const connection = free.shift() as Adapter;
        state.set(id, "running");
        running++;
        hooks.work(id, connection).then(
          (outcome) => {
            state.set(id, outcome);
            running--;
            free.push(connection);
            tick();
          },
          (error: unknown) => {
            running--;
            reject(error);
          },
        );
      }
      if (running === 0 && ![...state.values()].includes("waiting")) resolve();
    };
    tick();
  });
}
