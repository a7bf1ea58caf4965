/**
 * The order in which the scheduler offers ready models: the longest remaining chain first.
 * The scheduler starts whichever ready node comes first in its list; with a plain topological
 * order (ties by name) a cheap leaf can take the last free connection while the head of a long
 * chain waits, and the run ends on that chain with the other connections idle. Weighting each
 * node by its expected seconds plus its heaviest chain of descendants starts the heads of long
 * chains first (critical-path scheduling). The expected seconds are the previous run's
 * (target/run_results.json); without them every node weighs the same and the longest chain by
 * count goes first.
 */
import type { Effects } from "./effects.ts";

/** A node's weight when the previous run did not time it; also the floor, so weights grow strictly up a chain. */
const UNTIMED_SECONDS = 1;
const FLOOR_SECONDS = 0.001;

/**
 * `order` (a topological order) re-sorted by remaining chain weight, heaviest first, ties in
 * `order`'s order. Every node weighs more than each of its descendants, so the result is still
 * a topological order.
 */
export function longestChainFirst(
  order: readonly string[],
  parentsOf: (id: string) => readonly string[],
  seconds: (id: string) => number | undefined,
): string[] {
  const position = new Map(order.map((id, index) => [id, index]));
  const children = new Map<string, string[]>(order.map((id) => [id, []]));
  for (const id of order) {
    for (const parent of new Set(parentsOf(id))) children.get(parent)?.push(id);
  }
  const weight = new Map<string, number>();
  for (const id of [...order].reverse()) {
    const own = Math.max(seconds(id) ?? UNTIMED_SECONDS, FLOOR_SECONDS);
    const below = Math.max(0, ...(children.get(id) ?? []).map((child) => weight.get(child) ?? 0));
    weight.set(id, own + below);
  }
  return [...order].sort(
    (a, b) =>
      (weight.get(b) as number) - (weight.get(a) as number) ||
      (position.get(a) as number) - (position.get(b) as number),
  );
}

/**
 * Seconds per node id from a run_results.json (dbt's shape: results[].unique_id,
 * execution_time); an empty map when the file is missing or unreadable, which only costs the
 * ordering its hint.
 */
export async function previousSeconds(
  fs: Effects["fs"],
  runResultsPath: string,
): Promise<Map<string, number>> {
  const seconds = new Map<string, number>();
  try {
    if (!(await fs.exists(runResultsPath))) return seconds;
    const document = JSON.parse(await fs.readText(runResultsPath)) as {
      results?: { unique_id?: unknown; execution_time?: unknown; status?: unknown }[];
    };
    for (const result of document.results ?? []) {
      if (typeof result.unique_id !== "string" || typeof result.execution_time !== "number") continue;
      if (result.status !== "success") continue;
      seconds.set(result.unique_id, result.execution_time);
    }
  } catch {
    // A torn or hand-edited file: schedule without timings.
  }
  return seconds;
}
