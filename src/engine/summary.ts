/** The closing line of a run: what was built and tested, what failed, where the warehouse is. */
import { tally } from "./results.ts";
import type { RunOutcome } from "./session.ts";

export function summaryLine(outcome: RunOutcome, wrote: boolean): string {
  const count = tally(outcome.results);
  const kinds = (kind: string) => outcome.results.filter((result) => result.kind === kind).length;
  const parts: string[] = [];
  const built = kinds("model") + kinds("seed") + kinds("source");
  if (built > 0) parts.push(`${count.success} built`);
  if (kinds("test") > 0) parts.push(`${count.pass} tests passed`);
  if (count.warn > 0) parts.push(`${count.warn} warned`);
  if (count.fail > 0) parts.push(`${count.fail} tests failed`);
  if (count.error > 0) parts.push(`${count.error} errors`);
  if (count.skipped > 0) parts.push(`${count.skipped} skipped`);
  if (parts.length === 0) parts.push("nothing to do");
  const seconds = (outcome.wallMs / 1000).toFixed(1);
  const where = !wrote
    ? ""
    : outcome.published
      ? "; warehouse updated: target/warehouse.duckdb"
      : "; the previous warehouse is unchanged";
  return `${outcome.failures.length > 0 ? "Failed" : "Done"} in ${seconds}s: ${parts.join(", ")}${where}`;
}
