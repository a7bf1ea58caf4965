/**
 * Brings one contract table up to date with its files: keeps it when raw.loaded_files shows
 * every file unchanged, merges only the new files of an append table, or reloads it in full
 * (saying why, when a previous version existed). A full reload over a previous version gives
 * rows identical to a previous row their previous `_loaded_at`, so a nightly full export does
 * not mark unchanged rows as new; a keyed whole-table export whose previous load left row
 * fingerprints is reloaded by its changes (reuseSql.ts). The figures returned are the table's
 * cumulative ones.
 */
import { stat } from "node:fs/promises";
import { quoteIdent } from "../engine/adapters/adapter.ts";
import { errors } from "../errors.ts";
import type { SourceTable } from "./api.ts";
import type { ContractTable } from "./contract.ts";
import { type FileRecord, forgetTable, type PreviousLoad, recordFiles } from "./fileRegister.ts";
import { loadFingerprint } from "./loadFingerprint.ts";
import { type FileFigures, type LoadContext, loadTable } from "./loadTable.ts";
import { deletedRowsSql, keepLoadedAtSql, mergeSql } from "./mergeSql.ts";
import { planRefresh, type RefreshInput } from "./refreshPlan.ts";
import { resolveFiles } from "./resolveFiles.ts";
import { applyDeltaSql, fingerprintColumns, fingerprintTable, fingerprintTableName } from "./reuseSql.ts";
import { type TableFigures, tableFigures } from "./tableFigures.ts";
import { timestampSql } from "./timestampSql.ts";
import { emptyTableDdl, tableColumns } from "./warehouseTables.ts";

export interface RefreshContext extends LoadContext {
  previous: PreviousLoad;
  fullRefresh: boolean;
  /** Tables reloaded in full (or loaded empty) so far in this run. */
  reloaded: Set<string>;
  /** The sha256 of a file, hashed once per run. */
  digest: (path: string) => Promise<string>;
}

export interface TableOutcome extends TableFigures {
  table: string;
  /** An optional table without a file (or without a declaration): loaded empty. */
  absent: boolean;
  append: boolean;
  refresh: "full" | "kept" | "merged";
  reason?: string;
  /** Rows inserted or replaced in raw.<table> by this run. */
  rowsWritten: number;
  /** The files this run read. */
  filesRead: string[];
}

/** Keeps, merges into or reloads `raw.<contract.name>`; `source` is undefined when not declared. */
export async function refreshTable(
  context: RefreshContext,
  source: SourceTable | undefined,
  contract: ContractTable,
): Promise<TableOutcome> {
  const { adapter, progress } = context;
  const name = contract.name;
  const target = `raw.${quoteIdent(name)}`;
  const settings = source?.load;
  const files = settings && source ? await resolveFiles(name, settings, context.base, source.location) : [];
  if (!settings || !source || files.length === 0) {
    if (settings?.required && source) {
      const searched = settings.pathsDeclared
        ? settings.paths.join(", ")
        : `${name}.csv|.tsv|.parquet|.jsonl|.xlsx`;
      throw errors.missingDataFile(name, `${searched} in ${context.base}`, source.location);
    }
    await adapter.execute(`${emptyTableDdl(contract)}; drop table if exists ${fingerprintTable(name)}`);
    await forgetTable(adapter, name);
    context.reloaded.add(name);
    const figures = await tableFigures(adapter, name);
    return {
      ...figures,
      table: name,
      absent: true,
      append: false,
      refresh: "full",
      rowsWritten: 0,
      filesRead: [],
    };
  }
  const append = settings.mode === "append";
  const fingerprint = loadFingerprint(contract, settings, context.timezone, context.pii);
  const recorded = context.previous.register.get(name) ?? [];
  const columns = context.previous.columns.get(name);
  const input: RefreshInput = {
    mode: settings.mode,
    fullRefresh: context.fullRefresh,
    files: await Promise.all(
      files.map(async (file) => ({ display: file.display, bytes: (await stat(file.path)).size })),
    ),
    recorded,
    tableReady: columns?.join(",") === tableColumns(contract).join(","),
    settingsSha256: fingerprint,
  };
  const forced = recorded.length > 0 ? await forcedReason(context, name) : undefined;
  if (forced) input.forced = forced;
  let plan = planRefresh(input);
  while (plan.kind === "digest") {
    for (const file of input.files) {
      if (plan.files.includes(file.display)) file.sha256 = await context.digest(pathOf(files, file.display));
    }
    plan = planRefresh(input);
  }
  const outcome = (
    figures: TableFigures,
    refresh: TableOutcome["refresh"],
    rowsWritten: number,
    filesRead: string[],
  ): TableOutcome => ({ ...figures, table: name, absent: false, append, refresh, rowsWritten, filesRead });
  if (plan.kind === "keep") {
    progress(`${name}: files unchanged since they were loaded, table kept`);
    return outcome(await tableFigures(adapter, name), "kept", 0, []);
  }
  const bytes = new Map(input.files.map((file) => [file.display, file.bytes]));
  if (plan.kind === "merge") {
    const names = plan.files;
    const fresh = files.filter((file) => names.includes(file.display));
    const delta = `raw.${quoteIdent(`__delta_${name}`)}`;
    const figures = await loadAndRecord(context, { name, fingerprint, bytes }, fresh, () =>
      loadTable(context, source, contract, { files: fresh, target: delta, append: true }),
    );
    const count = async (relation: string) =>
      Number((await adapter.query(`select count(*) as n from ${relation}`)).rows[0]?.n);
    const before = await count(target);
    const added = await count(delta);
    await adapter.execute(`${mergeSql(contract, target, delta)}
        drop table if exists ${fingerprintTable(name)};`);
    const replaced = before + added - (await count(target));
    const read = figures.reduce((sum, one) => sum + one.rowsIn, 0);
    const rejected = figures.reduce((sum, one) => sum + one.rowsRejected, 0);
    progress(
      `${name}: merged ${names.length} new file${names.length === 1 ? "" : "s"} (${names.join(", ")}): ${n(read)} rows read, ${n(added)} written (${n(replaced)} replacing an earlier version), ${n(rejected)} rejected`,
    );
    return outcome(await tableFigures(adapter, name), "merged", added, names);
  }
  if (plan.reason) progress(`${name}: reloading in full: ${plan.reason}`);
  // A keyed whole-table export keeps its rows' fingerprints, so that the next reload of it
  // parses and writes only the rows that changed (reuseSql.ts).
  const fingerprints = !append && contract.key ? fingerprintTable(name) : undefined;
  if (!fingerprints) await adapter.execute(`drop table if exists ${fingerprintTable(name)}`);
  const trusted = input.tableReady && !context.fullRefresh;
  if (fingerprints && trusted && files.length === 1 && (await deltaReady(context, contract, fingerprint))) {
    const stage = `raw.${quoteIdent(`__delta_${name}`)}`;
    await forgetTable(adapter, name);
    await loadAndRecord(context, { name, fingerprint, bytes }, files, () =>
      loadTable(context, source, contract, {
        files,
        target: stage,
        append,
        delta: { previous: target, fingerprints },
      }),
    );
    const before = (await tableFigures(adapter, name)).rows;
    const { rows } = await adapter.query(
      `select count(*) as n from ${stage} where __problem is null and not __reused`,
    );
    const written = Number(rows[0]?.n);
    await adapter.execute(applyDeltaSql(contract, target, fingerprints, stage, context.now));
    context.reloaded.add(name);
    const figures = await tableFigures(adapter, name);
    progress(
      `${name}: ${n(figures.rows - written)} rows unchanged, ${n(written)} new or changed written, ${n(before + written - figures.rows)} removed`,
    );
    return {
      ...outcome(figures, "full", written, [files[0]!.display]),
      ...(plan.reason ? { reason: plan.reason } : {}),
    };
  }
  // The previous version, when trustworthy, lends unchanged rows their _loaded_at.
  const previous = trusted ? `raw.${quoteIdent(`__previous_${name}`)}` : undefined;
  if (previous) {
    await adapter.execute(`drop table if exists ${previous};
        alter table ${target} rename to ${quoteIdent(`__previous_${name}`)}`);
  }
  await forgetTable(adapter, name);
  await loadAndRecord(context, { name, fingerprint, bytes }, files, () =>
    loadTable(context, source, contract, {
      files,
      target,
      append,
      ...(fingerprints ? { fingerprints } : {}),
    }),
  );
  if (previous) {
    await adapter.execute(deletedRowsSql(contract, target, previous, context.now));
    await adapter.execute(keepLoadedAtSql(contract, target, previous, context.now));
  }
  context.reloaded.add(name);
  const figures = await tableFigures(adapter, name);
  const read = files.map((file) => file.display);
  return { ...outcome(figures, "full", figures.rows, read), ...(plan.reason ? { reason: plan.reason } : {}) };
}

/** Loads with `load` while the files are hashed, then records them in raw.loaded_files. */
async function loadAndRecord(
  context: RefreshContext,
  table: { name: string; fingerprint: string; bytes: Map<string, number> },
  files: { path: string; display: string }[],
  load: () => Promise<FileFigures[]>,
): Promise<FileFigures[]> {
  const digests = files.map((file) => context.digest(file.path));
  // Awaited below; a failure must not surface as an unhandled rejection while the load runs.
  for (const digest of digests) digest.catch(() => undefined);
  const figures = await load();
  const records: FileRecord[] = [];
  for (const [i, figure] of figures.entries()) {
    records.push({
      source: table.name,
      file: figure.file.display,
      bytes: table.bytes.get(figure.file.display)!,
      sha256: await digests[i]!,
      rowsIn: figure.rowsIn,
      rowsLoaded: figure.rowsLoaded,
      rowsRejected: figure.rowsRejected,
    });
  }
  await recordFiles(context.adapter, records, context.now, table.fingerprint);
  return figures;
}

/**
 * Whether a full reload of the table can go by its changes (reuseSql.ts): its fingerprints are
 * there and describe every row, every file was read under the settings of now, and no load
 * was later than now (a row checked then may hold a timestamp after now).
 */
async function deltaReady(
  context: RefreshContext,
  contract: ContractTable,
  settings: string,
): Promise<boolean> {
  const name = contract.name;
  const recorded = context.previous.register.get(name) ?? [];
  const columns = context.previous.columns.get(fingerprintTableName(name));
  if (recorded.length === 0 || recorded.some((file) => file.settingsSha256 !== settings)) return false;
  if (columns?.join(",") !== fingerprintColumns(contract).join(",")) return false;
  const { rows } = await context.adapter.query(
    `select (select count(*) from raw.${quoteIdent(name)}) = (select count(*) from ${fingerprintTable(name)})
        and (select max(loaded_at) from raw.loaded_files where source = $name) <= $now::timestamp as ready`,
    { name, now: context.now },
  );
  return rows[0]?.ready === true;
}

/** Why the table must be reloaded whatever its files say, if anything. */
async function forcedReason(context: RefreshContext, name: string): Promise<string | undefined> {
  // Orphan checks ran against the previous raw.orders; a reloaded one may lack some orders.
  if (name === "order_items" && context.reloaded.has("orders")) {
    return "raw.orders was reloaded, so every item's order is checked again";
  }
  const { rows } = await context.adapter.query(
    `select count(*) as n from raw.quarantine where source = $name and reason = 'future_timestamp'
        and ${timestampSql("value", context.timezone)} <= $now::timestamp`,
    { name, now: context.now },
  );
  const due = Number(rows[0]?.n);
  if (due === 0) return undefined;
  return `${n(due)} ${due === 1 ? "row" : "rows"} rejected as future-dated ${due === 1 ? "is" : "are"} no longer in the future`;
}

function pathOf(files: { path: string; display: string }[], display: string): string {
  return files.find((file) => file.display === display)!.path;
}

const n = (value: number) => value.toLocaleString("en-US");
