/**
 * Which run produced a site, and when its data was refreshed: shown on every page (through
 * buildSite's `run`) and kept beside the pages in `huitou-run.json`, so `huitou deploy` can
 * name the release after the run and an operator can tell what is live.
 */
import { join } from "node:path";
import type { Adapter } from "../engine/adapters/adapter.ts";

export interface RunInfo {
  /** The CI run (`GITHUB_RUN_ID`, attempt appended), `HUITOU_RUN_ID`, or the local time's stamp. */
  id: string;
  /** ISO time of the refresh. */
  refreshedAt: string;
  /** The analysis date of the data (YYYY-MM-DD). */
  asOf: string;
}

/** The file in the site folder holding its RunInfo. */
export const RUN_INFO_FILE = "huitou-run.json";

/** The run's identity from the environment, or from the clock when run by hand. */
export function runIdentity(
  env: Record<string, string | undefined>,
  date: Date,
): { id: string; refreshedAt: string } {
  const refreshedAt = date.toISOString();
  if (env.HUITOU_RUN_ID) return { id: env.HUITOU_RUN_ID, refreshedAt };
  if (env.GITHUB_RUN_ID) {
    const attempt =
      env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== "1" ? `.${env.GITHUB_RUN_ATTEMPT}` : "";
    return { id: `gh-${env.GITHUB_RUN_ID}${attempt}`, refreshedAt };
  }
  return { id: `local-${refreshedAt.slice(0, 19).replaceAll("-", "").replaceAll(":", "")}`, refreshedAt };
}

/** The RunInfo stored in a site folder, or undefined (an older site, or not a huitou site). */
export async function readRunInfo(
  siteDir: string,
  readText: (path: string) => Promise<string>,
): Promise<RunInfo | undefined> {
  try {
    const value = JSON.parse(await readText(join(siteDir, RUN_INFO_FILE))) as Partial<RunInfo>;
    if (typeof value.id !== "string" || typeof value.refreshedAt !== "string") return undefined;
    return { id: value.id, refreshedAt: value.refreshedAt, asOf: String(value.asOf ?? "") };
  } catch {
    return undefined;
  }
}

/** The analysis date the models settled on (`int_as_of`), else the configured one, else "". */
export async function warehouseAsOf(warehouse: Adapter, configured?: string | null): Promise<string> {
  try {
    const { rows } = await warehouse.query("select cast(as_of as varchar) as as_of from int_as_of");
    const value = rows[0]?.as_of;
    if (typeof value === "string") return value;
  } catch {
    // A project without the core models (a fixture, an analyst's own project).
  }
  return typeof configured === "string" ? configured : "";
}
