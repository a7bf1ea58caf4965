/**
 * Loads every source table into the warehouse schema `raw` (see api.ts): each contract table as
 * `raw.<table>` with every contract column typed (absent optional tables empty), rejected rows
 * in `raw.quarantine`, one row per source and check in `raw.load_report` (the data_quality
 * mart's input), and `raw.source_freshness`. Too many rejects fail the run, naming the source
 * and the counts, after every table has been loaded and reported.
 */
import { tmpdir } from "node:os";
import type { Adapter } from "../engine/adapters/adapter.ts";
import { errors, type HuitouError, HuitouErrors } from "../errors.ts";
import type { LoadSourcesOptions, SourceLoadReport, SourceTable } from "./api.ts";
import { CONTRACT } from "./contract.ts";
import { COUNTED_CHECKS } from "./countedChecks.ts";
import { measureFreshness } from "./freshness.ts";
import { type ReportRow, reportRows } from "./loadReport.ts";
import { type LoadContext, loadTable, type TableOutcome } from "./loadTable.ts";
import { piiKey, resolveSalt } from "./pii.ts";
import { emptyTableDdl, FRESHNESS_DDL, LOAD_REPORT_DDL, QUARANTINE_DDL } from "./warehouseTables.ts";

/** Loads `tables` (from readSources) and returns one report per contract table. */
export async function loadSources(
  adapter: Adapter,
  tables: SourceTable[],
  options: LoadSourcesOptions,
): Promise<SourceLoadReport[]> {
  const progress = options.onProgress ?? (() => {});
  await adapter.execute(
    `create schema if not exists raw; ${QUARANTINE_DDL}; ${LOAD_REPORT_DDL}; ${FRESHNESS_DDL}`,
  );
  const context: LoadContext = {
    adapter,
    base: options.dataDir ?? options.projectDir,
    tempDir: options.tempDir ?? tmpdir(),
    timezone: options.timezone,
    now: await shopTime(adapter, options.now ?? new Date(), options.timezone),
    pii: piiKey(await resolveSalt(options.piiSalt)),
    progress,
  };
  const outcomes: TableOutcome[] = [];
  const reports: SourceLoadReport[] = [];
  const overLimit: HuitouError[] = [];
  for (const contract of CONTRACT) {
    const table = tables.find((one) => one.name === contract.name);
    if (!table?.load) {
      await adapter.execute(emptyTableDdl(contract));
      outcomes.push({
        table: contract.name,
        files: [],
        rowsIn: 0,
        rowsLoaded: 0,
        rejected: {},
        absent: true,
      });
      continue;
    }
    const outcome = await loadTable(context, table, contract);
    outcomes.push(outcome);
    const rowsRejected = outcome.rowsIn - outcome.rowsLoaded;
    progress(
      outcome.absent
        ? `${table.name}: no file, loaded empty`
        : `${table.name}: ${outcome.rowsLoaded.toLocaleString("en-US")} rows loaded, ${rowsRejected.toLocaleString("en-US")} rejected (${outcome.files.join(", ")})`,
    );
    const report: SourceLoadReport = {
      table: table.name,
      files: outcome.files,
      rowsIn: outcome.rowsIn,
      rowsLoaded: outcome.rowsLoaded,
      rowsRejected,
    };
    if (table.freshness) {
      report.freshness = await measureFreshness(adapter, table, context.now);
      if (report.freshness.status !== "pass") {
        progress(
          `${table.name}: freshness ${report.freshness.status} (newest ${report.freshness.maxLoadedAt})`,
        );
      }
    }
    reports.push(report);
    const limit = table.load.maxRejected;
    if (limit && exceeds(rowsRejected, outcome.rowsIn, limit)) {
      overLimit.push(
        errors.tooManyRejects(
          `${table.name}: ${rowsRejected} of ${outcome.rowsIn} rows rejected (${percent(rowsRejected, outcome.rowsIn)}), more than max_rejected allows (${describe(limit)}); see raw.quarantine for each row's file, line and reason, fix the export, or raise load.max_rejected`,
          table.location,
        ),
      );
    }
  }
  const counted = new Map<string, { flagged: number; detail: string }>();
  for (const group of COUNTED_CHECKS) {
    const { rows } = await adapter.query(group.sql);
    const row = rows[0] ?? {};
    for (const check of group.checks) {
      const detail = (group.details[check] ?? "").replace(/\{(\w+)\}/g, (_, name: string) =>
        String(row[name] ?? 0),
      );
      counted.set(`${group.source}.${check}`, { flagged: Number(row[check] ?? 0), detail });
    }
  }
  await insertReport(adapter, reportRows(outcomes, counted));
  if (overLimit.length > 0) throw new HuitouErrors(overLimit);
  return reports;
}

function exceeds(rejected: number, rowsIn: number, limit: { count?: number; share?: number }): boolean {
  if (limit.count !== undefined && rejected > limit.count) return true;
  return limit.share !== undefined && rowsIn > 0 && rejected / rowsIn > limit.share;
}

function describe(limit: { count?: number; share?: number }): string {
  const parts: string[] = [];
  if (limit.count !== undefined) parts.push(`count ${limit.count}`);
  if (limit.share !== undefined) parts.push(`share ${limit.share}`);
  return parts.join(", ");
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "0%" : `${((100 * part) / whole).toFixed(1)}%`;
}

async function shopTime(adapter: Adapter, now: Date, timezone: string): Promise<string> {
  const { rows } = await adapter.query(
    "select strftime(timezone($tz, to_timestamp($epoch)), '%Y-%m-%d %H:%M:%S') as now",
    { tz: timezone, epoch: Math.floor(now.getTime() / 1000) },
  );
  return String(rows[0]?.now);
}

async function insertReport(adapter: Adapter, rows: ReportRow[]): Promise<void> {
  for (const row of rows) {
    await adapter.execute(
      "insert into raw.load_report values ($source, $check, $in, $loaded, $rejected, $flagged, $detail)",
      {
        source: row.source,
        check: row.check,
        in: row.rowsIn,
        loaded: row.rowsLoaded,
        rejected: row.rowsRejected,
        flagged: row.rowsFlagged,
        detail: row.detail,
      },
    );
  }
}
