/**
 * The whole path: a raw data folder (CDNOW's, from cdnowRaw.ts) built by the real `huitou build`
 * command, a child process on a temporary copy of the project, and the warehouse it leaves
 * opened read-only.
 */
import { spawnSync } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Row } from "../../src/engine/adapters/adapter.ts";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";

const REPO = join(import.meta.dirname, "../..");
const MAIN = join(REPO, "src/cli/main.ts");

export interface CliBuild {
  code: number | null;
  stdout: string;
  stderr: string;
  rows(sql: string): Promise<Row[]>;
  close(): Promise<void>;
}

/** A temporary copy of the project (models, seeds, macros, sources, pages); the caller removes it. */
export async function copyProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "huitou-clv-project-"));
  for (const entry of ["huitou_project.yml", "models", "seeds", "macros", "sources", "pages"]) {
    await cp(join(REPO, entry), join(dir, entry), { recursive: true });
  }
  return dir;
}

/** `huitou build --data RAW ARGS...` in a temporary copy of the project. */
export async function cliBuild(raw: string, args: string[]): Promise<CliBuild> {
  const dir = await copyProject();
  const child = spawnSync(
    process.execPath,
    [MAIN, "build", "--project", dir, "--data", raw, "--out", join(dir, "dist"), "--threads", "2", ...args],
    { encoding: "utf8", env: { ...process.env, TZ: "UTC", NO_COLOR: "1" } },
  );
  const db =
    child.status === 0 ? await openDuckDB(join(dir, "target/warehouse.duckdb"), { readOnly: true }) : null;
  return {
    code: child.status,
    stdout: child.stdout,
    stderr: child.stderr,
    async rows(sql) {
      if (!db) throw new Error(`the build failed (exit ${child.status}):\n${child.stderr}`);
      return (await db.query(sql)).rows;
    },
    async close() {
      await db?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
