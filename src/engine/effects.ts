/**
 * The engine's side effects, passed in (framework's BuildEffects): the file system, the logger
 * and the clock. Planning never touches them directly except through this object, so tests run
 * silent and deterministic, and the CLI chooses how progress looks.
 */
import { constants } from "node:fs";
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

export interface FileSystem {
  readText(path: string): Promise<string>;
  exists(path: string): Promise<boolean>;
  /** Files under `dir`, recursively, as sorted `/`-separated paths relative to it; [] when absent. */
  list(dir: string): Promise<string[]>;
  /** Writes to a temporary name beside `path`, then renames it into place. */
  writeAtomic(path: string, text: string): Promise<void>;
  copy(from: string, to: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file or folder; no error when absent. */
  remove(path: string): Promise<void>;
  mkdir(path: string): Promise<void>;
}

export interface Logger {
  /** A line for the log: what happened (model built, test passed). */
  info(message: string): void;
  /** Something the user should look at that does not fail the run. */
  warn(message: string): void;
  /** Transient state ("running 3 of 30: stg_orders"); a terminal shows it as a live line. */
  progress(message: string): void;
}

export interface Clock {
  /** Milliseconds on a monotonic clock, for durations. */
  now(): number;
  /** Wall time, for run metadata only. */
  date(): Date;
}

export interface Effects {
  fs: FileSystem;
  logger: Logger;
  clock: Clock;
}

/** The real file system. */
export const nodeFileSystem: FileSystem = {
  readText: (path) => readFile(path, "utf8"),
  async exists(path) {
    try {
      await stat(path);
      return true;
    } catch {
      return false;
    }
  },
  async list(dir) {
    try {
      const entries = await readdir(dir, { recursive: true, withFileTypes: true });
      return entries
        .filter((entry) => entry.isFile())
        .map((entry) =>
          join(entry.parentPath, entry.name)
            .slice(dir.length + 1)
            .replaceAll("\\", "/"),
        )
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
  },
  async writeAtomic(path, text) {
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, text);
    await rename(temporary, path);
  },
  // A reflink where the file system has them (instant), a plain copy otherwise.
  copy: (from, to) => copyFile(from, to, constants.COPYFILE_FICLONE),
  rename: (from, to) => rename(from, to),
  remove: (path) => rm(path, { recursive: true, force: true }),
  mkdir: async (path) => {
    await mkdir(path, { recursive: true });
  },
};

export const systemClock: Clock = {
  now: () => performance.now(),
  date: () => new Date(),
};

/** A logger that keeps everything, for tests (and for nothing else). */
export function memoryLogger(): Logger & { lines: string[]; warnings: string[] } {
  const lines: string[] = [];
  const warnings: string[] = [];
  return {
    lines,
    warnings,
    info: (message) => lines.push(message),
    warn: (message) => warnings.push(message),
    progress: () => {},
  };
}

/** Effects for tests: the real file system (DuckDB needs real files anyway), a silent logger. */
export function quietEffects(): Effects & { logger: ReturnType<typeof memoryLogger> } {
  return { fs: nodeFileSystem, logger: memoryLogger(), clock: systemClock };
}
