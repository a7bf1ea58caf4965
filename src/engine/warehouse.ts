/**
 * The atomic warehouse: a run builds `target/warehouse.next.duckdb` (a copy of the published
 * file, or a fresh one) and renames it over `target/warehouse.duckdb` only when it succeeded;
 * a failed run removes it and leaves the published file as it was. A lock file keeps two runs
 * from building the same next file at once.
 */
import { join } from "node:path";
import { errors } from "../errors.ts";
import type { Adapter, OpenOptions, Relation } from "./adapters/adapter.ts";
import type { FileSystem } from "./effects.ts";
import { readState } from "./incrementalState.ts";

export type Open = (path: string, options?: OpenOptions) => Promise<Adapter>;

export interface WarehousePaths {
  target: string;
  current: string;
  next: string;
  lock: string;
}

export function warehousePaths(projectDir: string): WarehousePaths {
  const target = join(projectDir, "target");
  return {
    target,
    current: join(target, "warehouse.duckdb"),
    next: join(target, "warehouse.next.duckdb"),
    lock: join(target, "warehouse.lock"),
  };
}

/** A next warehouse being built; exactly one of `publish` or `discard` ends it. */
export interface NextWarehouse {
  adapter: Adapter;
  /** Whether it started from a copy of the published warehouse. */
  copied: boolean;
  publish(): Promise<void>;
  discard(): Promise<void>;
}

/** Takes the lock, copies the published warehouse (unless `fresh`) and opens the copy. */
export async function openNext(
  paths: WarehousePaths,
  fs: FileSystem,
  open: Open,
  options: { fresh?: boolean; threads?: number } = {},
): Promise<NextWarehouse> {
  await lock(paths, fs);
  try {
    await fs.remove(paths.next);
    await fs.remove(`${paths.next}.wal`);
    const copied = !options.fresh && (await fs.exists(paths.current));
    if (copied) {
      await fs.copy(paths.current, paths.next);
      if (await fs.exists(`${paths.current}.wal`)) await fs.copy(`${paths.current}.wal`, `${paths.next}.wal`);
    }
    const adapter = await open(paths.next, options.threads ? { threads: options.threads } : {});
    const finish = async (keep: boolean) => {
      try {
        if (keep) {
          // Checkpoint as a statement, so the time it takes counts as database time.
          await adapter.execute("checkpoint");
          await adapter.close();
          await fs.rename(paths.next, paths.current);
          await fs.remove(`${paths.current}.wal`);
        } else {
          await adapter.close();
          await fs.remove(paths.next);
        }
        await fs.remove(`${paths.next}.wal`);
      } finally {
        await fs.remove(paths.lock);
      }
    };
    return { adapter, copied, publish: () => finish(true), discard: () => finish(false) };
  } catch (error) {
    await fs.remove(paths.lock);
    throw error;
  }
}

/** The relations of the published warehouse ([] when there is none), read in a brief read-only look. */
export async function publishedRelations(
  paths: WarehousePaths,
  fs: FileSystem,
  open: Open,
): Promise<Relation[]> {
  if (!(await fs.exists(paths.current))) return [];
  const adapter = await open(paths.current, { readOnly: true });
  try {
    return await adapter.listRelations();
  } finally {
    await adapter.close();
  }
}

/** The incremental models' stored definition hashes in the published warehouse (none when there is none). */
export async function publishedState(
  paths: WarehousePaths,
  fs: FileSystem,
  open: Open,
): Promise<Map<string, string>> {
  if (!(await fs.exists(paths.current))) return new Map();
  const adapter = await open(paths.current, { readOnly: true });
  try {
    return await readState(adapter);
  } finally {
    await adapter.close();
  }
}

/** Opens the published warehouse read-only; a usage error when there is none yet. */
export async function openPublished(paths: WarehousePaths, fs: FileSystem, open: Open): Promise<Adapter> {
  if (!(await fs.exists(paths.current))) throw errors.noWarehouse("target/warehouse.duckdb");
  return open(paths.current, { readOnly: true });
}

async function lock(paths: WarehousePaths, fs: FileSystem): Promise<void> {
  await fs.mkdir(paths.target);
  if (await fs.exists(paths.lock)) {
    const pid = Number((await fs.readText(paths.lock)).trim());
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
      throw errors.usage(
        `another huitou run (process ${pid}) is building this warehouse; wait for it, or delete target/warehouse.lock if it is gone`,
      );
    }
  }
  await fs.writeAtomic(paths.lock, String(process.pid));
}

function alive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
