/** The source step of a build: the ingest layer loads every source table into `raw`. */
import { HuitouError, HuitouErrors } from "../errors.ts";
import type { SourceTable } from "../ingest/api.ts";
import { loadSources } from "../ingest/loadSources.ts";
import type { Adapter } from "./adapters/adapter.ts";
import type { Effects } from "./effects.ts";
import type { NodeResult } from "./results.ts";
import type { RunRequest } from "./session.ts";
import type { Node, Plan } from "./types.ts";

/** Loads the sources; records one result per table (or the errors); resolves to success. */
export async function loadSourceStep(
  adapter: Adapter,
  tables: SourceTable[],
  plan: Plan,
  request: RunRequest,
  timezone: string,
  effects: Effects,
  record: (result: NodeResult) => void,
): Promise<boolean> {
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
        rowsAffected: report.rowsLoaded,
        failures: report.rowsRejected,
        message: `${report.rowsLoaded} rows loaded, ${report.rowsRejected} rejected${report.files.length ? ` (${report.files.join(", ")})` : " (no file: empty)"}`,
        error: undefined,
      });
    }
    return true;
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
    return false;
  }
}
