/**
 * Loads every source table into the warehouse schema `raw` (see api.ts): each contract table as
 * `raw.<table>` with every contract column typed and `_loaded_at` last (absent optional tables
 * empty), rejected rows in `raw.quarantine`, the files read in `raw.loaded_files`, one row per
 * source and check in `raw.load_report` (the data_quality mart's input, cumulative over each
 * table's files), and `raw.source_freshness`. In a copy of a warehouse loaded before, tables
 * whose files are unchanged are kept and append tables take in only their new files. Too many
 * rejects fail the run, naming the source and the counts, after every table has been loaded.
 */
import { tmpdir } from "node:os";
import { type Adapter, quoteLiteral } from "../engine/adapters/adapter.ts";
import { errors, type HuitouError, HuitouErrors } from "../errors.ts";
import type { LoadSourcesOptions, SourceLoadReport, SourceTable } from "./api.ts";
import { CONTRACT } from "./contract.ts";
import { COUNTED_CHECKS } from "./countedChecks.ts";
import { digester } from "./fileDigest.ts";
import { openRegister, type PreviousLoad } from "./fileRegister.ts";
import { measureFreshness } from "./freshness.ts";
import { type Counted, fileList, type ReportRow, reportRows } from "./loadReport.ts";
import { piiKey, resolveSalt } from "./pii.ts";
import { type RefreshContext, refreshTable, type TableOutcome } from "./refreshTable.ts";
import { DELETIONS_DDL, FRESHNESS_DDL, LOAD_REPORT_DDL } from "./warehouseTables.ts";

/** Loads `tables` (from readSources) and returns one report per contract table. */
export async function loadSources(
  adapter: Adapter,
  tables: SourceTable[],
  options: LoadSourcesOptions,
): Promise<SourceLoadReport[]> {
  const progress = options.onProgress ?? (() => {});
  await adapter.execute("create schema if not exists raw");
  const previous = await openRegister(adapter);
  const counted = await previousCounts(adapter, previous);
  await adapter.execute(`${LOAD_REPORT_DDL}; ${FRESHNESS_DDL}; ${DELETIONS_DDL}`);
  const context: RefreshContext = {
    adapter,
    base: options.dataDir ?? options.projectDir,
    tempDir: options.tempDir ?? tmpdir(),
    timezone: options.timezone,
    now: await shopTime(adapter, options.now ?? new Date(), options.timezone),
    pii: piiKey(await resolveSalt(options.piiSalt)),
    progress,
    previous,
    fullRefresh: options.fullRefresh ?? false,
    reloaded: new Set(),
    digest: digester(),
  };
  const outcomes: TableOutcome[] = [];
  const reports: SourceLoadReport[] = [];
  const overLimit: HuitouError[] = [];
  for (const contract of CONTRACT) {
    const table = tables.find((one) => one.name === contract.name);
    const outcome = await refreshTable(context, table?.load ? table : undefined, contract);
    outcomes.push(outcome);
    if (!table?.load) continue;
    const rowsRejected = outcome.rowsIn - outcome.rowsLoaded;
    progress(
      outcome.absent
        ? `${table.name}: no file, loaded empty`
        : `${table.name}: ${outcome.rowsLoaded.toLocaleString("en-US")} rows loaded, ${rowsRejected.toLocaleString("en-US")} rejected${outcome.superseded > 0 ? `, ${outcome.superseded.toLocaleString("en-US")} superseded by later files` : ""} (${fileList(outcome.files)})`,
    );
    const report: SourceLoadReport = {
      table: table.name,
      files: outcome.files,
      filesRead: outcome.filesRead,
      rowsIn: outcome.rowsIn,
      rowsLoaded: outcome.rowsLoaded,
      rowsRejected,
      rowsSuperseded: outcome.superseded,
      refresh: outcome.refresh,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      rowsWritten: outcome.rowsWritten,
      ...(outcome.refresh === "merged" ? { loadedAt: context.now } : {}),
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
  for (const group of COUNTED_CHECKS) {
    // A check over tables this load kept as they were would count what it counted last time.
    const kept = group.reads.every((name) => outcomes.find((one) => one.table === name)?.refresh === "kept");
    if (kept && group.checks.every((check) => counted.has(`${group.source}.${check}`))) continue;
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

/** The counted checks of the previous load report (none when the register was not trusted). */
async function previousCounts(adapter: Adapter, previous: PreviousLoad): Promise<Map<string, Counted>> {
  const counted = new Map<string, Counted>();
  if (previous.register.size === 0 || !previous.columns.has("load_report")) return counted;
  const { rows } = await adapter.query(`select source, "check", rows_loaded, detail from raw.load_report
      where rows_rejected = 0 and "check" in (${COUNTED_CHECKS.flatMap((group) => group.checks)
        .map(quoteLiteral)
        .join(", ")})`);
  for (const row of rows) {
    counted.set(`${row.source}.${row.check}`, {
      flagged: Number(row.rows_loaded),
      detail: String(row.detail ?? ""),
    });
  }
  return counted;
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

/**
 * The load's stamp in shop time, to the millisecond: two loads within one second must differ,
 * since the incremental models take rows `_loaded_at` past their watermark and the source tests
 * narrow to the rows stamped with this load's time.
 */
async function shopTime(adapter: Adapter, now: Date, timezone: string): Promise<string> {
  const { rows } = await adapter.query(
    "select strftime(timezone($tz, to_timestamp($epoch)), '%Y-%m-%d %H:%M:%S.%f') as now",
    { tz: timezone, epoch: now.getTime() / 1000 },
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
