/**
 * What a run did, node by node, and `target/run_results.json` (dbt's shape, trimmed): status,
 * timing, rows affected or failing rows, and a message for each node.
 */
import type { HuitouError } from "../errors.ts";
import type { Node } from "./types.ts";

/** dbt's statuses: models and seeds succeed or fail, tests pass, fail or warn. */
export type Status = "success" | "error" | "skipped" | "pass" | "fail" | "warn";

export interface NodeResult {
  id: string;
  kind: Node["kind"];
  name: string;
  status: Status;
  /** ISO timestamps; absent for a node that did not run. */
  startedAt: string | undefined;
  completedAt: string | undefined;
  /** Seconds. */
  executionTime: number;
  /** Rows written (tables, incremental, seeds, sources); null for views and tests. */
  rowsAffected: number | null;
  /** Failing rows of a test. */
  failures: number | null;
  message: string;
  /** The error to report, for a failed node or an error-severity test failure. */
  error: HuitouError | undefined;
  /**
   * For a test counted in a scan shared with other tests (sharedScan.ts): how many tests shared
   * it. Its `executionTime` is then its share of the scan (plus its own run when it failed).
   */
  sharedScan?: number;
}

export interface RunResultsFile {
  metadata: { huitou_version: string; generated_at: string; invocation: string };
  elapsed_time: number;
  args: Record<string, unknown>;
  results: {
    unique_id: string;
    resource_type: Node["kind"];
    status: Status;
    timing: { name: "execute"; started_at: string; completed_at: string }[];
    execution_time: number;
    rows_affected: number | null;
    failures: number | null;
    message: string;
  }[];
}

/** The run_results.json document for `results`. */
export function runResultsFile(
  results: readonly NodeResult[],
  meta: {
    version: string;
    generatedAt: Date;
    invocation: string;
    elapsedMs: number;
    args: Record<string, unknown>;
  },
): RunResultsFile {
  return {
    metadata: {
      huitou_version: meta.version,
      generated_at: meta.generatedAt.toISOString(),
      invocation: meta.invocation,
    },
    elapsed_time: round(meta.elapsedMs / 1000),
    args: meta.args,
    results: results.map((result) => ({
      unique_id: result.id,
      resource_type: result.kind,
      status: result.status,
      timing:
        result.startedAt && result.completedAt
          ? [{ name: "execute", started_at: result.startedAt, completed_at: result.completedAt }]
          : [],
      execution_time: round(result.executionTime),
      rows_affected: result.rowsAffected,
      failures: result.failures,
      message: result.message,
    })),
  };
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

/** Counts by status, for the summary line. */
export function tally(results: readonly NodeResult[]): Record<Status, number> {
  const counts: Record<Status, number> = { success: 0, error: 0, skipped: 0, pass: 0, fail: 0, warn: 0 };
  for (const result of results) counts[result.status]++;
  return counts;
}

/** The result of a node that did not run because of `why`. */
export function skipped(node: Node, why: string): NodeResult {
  return {
    id: node.id,
    kind: node.kind,
    name: node.name,
    status: "skipped",
    startedAt: undefined,
    completedAt: undefined,
    executionTime: 0,
    rowsAffected: null,
    failures: null,
    message: `skipped: ${why}`,
    error: undefined,
  };
}

/** One log line per finished node: `ok     model  stg_orders  table built: 12 rows (0.03s)`. */
export function resultLine(result: NodeResult): string {
  const label = { success: "ok", error: "ERROR", skipped: "skip", pass: "pass", fail: "FAIL", warn: "warn" }[
    result.status
  ];
  const first = result.message.split("\n")[0];
  // A shared scan's time is split among its tests: say so, or the share reads as the test's cost.
  const shared = result.sharedScan ? `, 1/${result.sharedScan} of a shared scan` : "";
  const time = result.startedAt ? ` (${result.executionTime.toFixed(2)}s${shared})` : "";
  return `${label.padEnd(6)} ${result.kind.padEnd(6)} ${result.name}  ${first}${time}`;
}
