/**
 * Where `huitou build` takes its data from: `--data DIR`, `--demo`, or the paths the sources
 * declare. With none of these it builds the demo only for a person at a terminal; in CI it
 * refuses (exit 2), so a pipeline never publishes synthetic numbers by accident.
 */
import { errors } from "../errors.ts";
import type { SourceTable } from "../ingest/api.ts";

export type DataChoice =
  | { kind: "data"; dir: string }
  | { kind: "demo"; asked: boolean }
  | { kind: "declared" };

export function chooseData(options: {
  data: string | undefined;
  demo: boolean;
  tables: readonly SourceTable[];
  interactive: boolean;
}): DataChoice {
  if (options.data !== undefined && options.demo) {
    throw errors.usage("--data and --demo exclude each other: build the shop's data or the demo, not both");
  }
  if (options.data !== undefined) return { kind: "data", dir: options.data };
  if (options.demo) return { kind: "demo", asked: true };
  if (options.tables.some((table) => table.load?.pathsDeclared)) return { kind: "declared" };
  if (options.interactive) return { kind: "demo", asked: false };
  throw errors.noData();
}

/** `--as-of`: a real calendar date written YYYY-MM-DD. */
export function checkAsOf(text: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match
    ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
    : undefined;
  if (!date || date.toISOString().slice(0, 10) !== text) {
    throw errors.usage(`--as-of expects a date as YYYY-MM-DD (e.g. 2024-06-30), got '${text}'`);
  }
  return text;
}
