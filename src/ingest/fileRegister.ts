/**
 * The register `raw.loaded_files`: one row per file whose rows are in a raw table, with its
 * size, sha256, load time and counts. A build that runs in a copy of the published warehouse
 * finds the previous register there and so knows which files changed; a warehouse without a
 * register (fresh, or written before it existed) has its bookkeeping tables recreated and
 * every table loads in full.
 */
import type { Adapter } from "../engine/adapters/adapter.ts";
import type { RecordedFile } from "./refreshPlan.ts";
import {
  LOADED_FILES_COLUMNS,
  LOADED_FILES_DDL,
  QUARANTINE_COLUMNS,
  QUARANTINE_DDL,
} from "./warehouseTables.ts";

/** What the warehouse held before this load. */
export interface PreviousLoad {
  /** Recorded files by source table, in name order. */
  register: Map<string, RecordedFile[]>;
  /** Column names of each relation in schema raw, in order. */
  columns: Map<string, string[]>;
}

/** A file's row for the register. */
export interface FileRecord {
  source: string;
  file: string;
  bytes: number;
  sha256: string;
  rowsIn: number;
  rowsLoaded: number;
  rowsRejected: number;
}

/**
 * Reads the previous register, or recreates raw.quarantine and raw.loaded_files (empty) when
 * there is none to trust; quarantine rows of tables that are kept stay.
 */
export async function openRegister(adapter: Adapter): Promise<PreviousLoad> {
  const { rows } = await adapter.query(`select table_name, column_name from information_schema.columns
      where table_schema = 'raw' and table_catalog = current_database()
      order by table_name, ordinal_position`);
  const columns = new Map<string, string[]>();
  for (const row of rows) {
    const name = String(row.table_name);
    columns.set(name, [...(columns.get(name) ?? []), String(row.column_name)]);
  }
  const register = new Map<string, RecordedFile[]>();
  const same = (name: string, expected: readonly string[]) =>
    columns.get(name)?.join(",") === expected.join(",");
  if (!same("loaded_files", LOADED_FILES_COLUMNS) || !same("quarantine", QUARANTINE_COLUMNS)) {
    await adapter.execute(`${QUARANTINE_DDL}; ${LOADED_FILES_DDL}`);
    return { register, columns };
  }
  const recorded = await adapter.query(
    "select source, file, bytes, sha256, settings_sha256 from raw.loaded_files order by source, file",
  );
  for (const row of recorded.rows) {
    const source = String(row.source);
    const file: RecordedFile = {
      file: String(row.file),
      bytes: Number(row.bytes),
      sha256: String(row.sha256),
      settingsSha256: String(row.settings_sha256),
    };
    register.set(source, [...(register.get(source) ?? []), file]);
  }
  return { register, columns };
}

/** Forgets a table's files and quarantined rows (it is about to be reloaded, or is absent). */
export async function forgetTable(adapter: Adapter, source: string): Promise<void> {
  await adapter.execute("delete from raw.loaded_files where source = $source", { source });
  await adapter.execute("delete from raw.quarantine where source = $source", { source });
}

/** Records files loaded now (at `now`, naive shop time) with the settings fingerprint. */
export async function recordFiles(
  adapter: Adapter,
  files: FileRecord[],
  now: string,
  settingsSha256: string,
): Promise<void> {
  for (const file of files) {
    await adapter.execute(
      `insert into raw.loaded_files values ($source, $file, $bytes, $sha256, $now::timestamp, $in, $loaded,
          $rejected, $settings)`,
      {
        source: file.source,
        file: file.file,
        bytes: file.bytes,
        sha256: file.sha256,
        now,
        in: file.rowsIn,
        loaded: file.rowsLoaded,
        rejected: file.rowsRejected,
        settings: settingsSha256,
      },
    );
  }
}
