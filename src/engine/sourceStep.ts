/** The source step of a build: the ingest layer loads every source table into `raw`. */
import { HuitouError, HuitouErrors } from "../errors.ts";
import type { SourceLoadReport, SourceTable } from "../ingest/api.ts";
import { loadSources } from "../ingest/loadSources.ts";
import type { Adapter } from "./adapters/adapter.ts";
import type { Effects } from "./effects.ts";
import type { NodeResult } from "./results.ts";
import type { RunRequest } from "./session.ts";
import type { Node, Plan } from "./types.ts";

/** What the table's load did this run, for the log and run_results.json. */
function sourceMessage(report: SourceLoadReport): string {
  const totals = `${report.rowsLoaded} rows loaded, ${report.rowsRejected} rejected`;
  if (report.files.length === 0) return `${totals} (no file: empty)`;
  if (report.refresh === "kept") return `${totals}; files unchanged, table kept (${report.files.join(", ")})`;
  const read = `read ${report.filesRead.join(", ")}`;
  if (report.refresh === "merged") return `${totals}; merged ${report.rowsWritten} rows, ${read}`;
  return `${totals}; ${read}${report.reason ? ` (reloaded in full: ${report.reason})` : ""}`;
}

/** Loads the sources; records one result per table (or the errors); resolves to the reports, undefined on failure. */
export async function loadSourceStep(
  adapter: Adapter,
  tables: SourceTable[],
  plan: Plan,
  request: RunRequest,
  timezone: string,
  effects: Effects,
  record: (result: NodeResult) => void,
): Promise<SourceLoadReport[] | undefined> {
  const { clock, logger } = effects;
  const began = clock.now();
  const startedAt = clock.date().toISOString();
  const node = (name: string) =>
    [...plan.nodes.values()].find((one) => one.kind === "source" && one.name === name) as Node | undefined;
  try {
    const reports = await loadSources(adapter, tables, {
      projectDir: request.projectDir,
      ...(request.dataDir ? { dataDir: request.dataDir } : {}),
      timezone,
      fullRefresh: request.fullRefresh ?? false,
      onProgress: (message) => logger.progress(message),
    });
    for (const report of reports) {
      const source = node(report.table);
      record({
        id: source?.id ?? `source.${plan.project.name}.${report.table}`,
        kind: "source",
        name: report.table,
        status: "success",
        startedAt,
        completedAt: clock.date().toISOString(),
        executionTime: (clock.now() - began) / 1000,
        rowsAffected: report.rowsWritten,
        failures: report.rowsRejected,
        message: sourceMessage(report),
        error: undefined,
      });
    }
    return reports;
  } catch (error) {
    const list = error instanceof HuitouErrors ? error.errors : [error];
    for (const one of list) {
      if (!(one instanceof HuitouError)) throw error;
      record({
        id: `source.${plan.project.name}`,
        kind: "source",
        name: "sources",
        status: "error",
        startedAt,
        completedAt: clock.date().toISOString(),
        executionTime: (clock.now() - began) / 1000,
        rowsAffected: null,
        failures: null,
        message: one.message,
        error: one,
      });
    }
    return undefined;
  }
}
