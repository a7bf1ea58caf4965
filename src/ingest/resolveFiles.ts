/**
 * Finds the file(s) of a table: the declared `load.path` (a path or glob, several allowed),
 * else the raw contract's convention of one file named after the table (`orders.csv`,
 * `orders.parquet`, `orders.jsonl`, `orders.xlsx`, ...), in the data dir or else the project.
 */
import { glob, stat } from "node:fs/promises";
import { isAbsolute, join, relative } from "node:path";
import { errors, type Location } from "../errors.ts";
import type { LoadSettings } from "./api.ts";

export type FileFormat = "csv" | "parquet" | "jsonl" | "xlsx";

export interface DataFile {
  path: string;
  /** How quarantine rows and reports name it: relative to the folder it was looked up in. */
  display: string;
  format: FileFormat;
}

const EXTENSIONS: Record<string, FileFormat> = {
  csv: "csv",
  tsv: "csv",
  txt: "csv",
  parquet: "parquet",
  jsonl: "jsonl",
  ndjson: "jsonl",
  json: "jsonl",
  xlsx: "xlsx",
};

/** The format of `path` by extension, unless the settings declare one. Pure. */
export function formatOf(path: string, declared: LoadSettings["format"]): FileFormat | undefined {
  if (declared !== "auto") return declared;
  return EXTENSIONS[path.split(".").pop()?.toLowerCase() ?? ""];
}

/** The files of `table`, in a stable order; [] when there are none. */
export async function resolveFiles(
  table: string,
  settings: LoadSettings,
  base: string,
  location: Location,
): Promise<DataFile[]> {
  const patterns = settings.pathsDeclared
    ? settings.paths
    : Object.keys(EXTENSIONS).map((ext) => `${table}.${ext}`);
  const found = new Set<string>();
  for (const pattern of patterns) {
    const absolute = isAbsolute(pattern) ? pattern : join(base, pattern);
    if (/[*?[{]/.test(pattern)) {
      for await (const match of glob(absolute)) found.add(match);
    } else if (await isFile(absolute)) found.add(absolute);
  }
  const files = [...found].sort().map((path) => {
    const format = formatOf(path, settings.format);
    if (!format) {
      throw errors.config(
        `cannot tell the format of ${path}; set load.format (csv, parquet, jsonl or xlsx) for table ${table}`,
        location,
      );
    }
    return { path, display: relative(base, path) || path, format };
  });
  if (!settings.pathsDeclared && files.length > 1) {
    throw errors.config(
      `table ${table} has several files (${files.map((file) => file.display).join(", ")}); keep one, or list them in load.path to read them all`,
      location,
    );
  }
  return files;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
