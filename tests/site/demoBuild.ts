/**
 * The demo shop built the way a user builds it (`huitou build --demo`), inside `unshare -n`
 * so no host can be reached, into a temporary project that links the repository's models,
 * seeds, sources and macros. Used by the demo site tests, once per test file.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = join(ROOT, "src", "cli", "main.ts");
const LINKED = ["huitou_project.yml", "models", "seeds", "sources", "macros"];

export interface DemoBuild {
  projectDir: string;
  dist: string;
  warehouse: string;
  /** Wall-clock seconds of the whole build (demo data, models, tests, site): a measurement. */
  seconds: number;
  log: string;
  remove(): Promise<void>;
}

/**
 * Builds the demo shop with the network cut off, with `args` added to the command line (an
 * `--as-of`, a `--var`); rejects with the build's output on failure.
 */
export async function buildDemoOffline(args: string[] = []): Promise<DemoBuild> {
  const projectDir = await mkdtemp(join(tmpdir(), "huitou-demo-site-"));
  for (const name of LINKED) await symlink(join(ROOT, name), join(projectDir, name));
  const dist = join(projectDir, "dist");
  const started = performance.now();
  let log: string;
  try {
    const { stdout, stderr } = await promisify(execFile)(
      "unshare",
      ["-n", process.execPath, MAIN, "build", "--demo", "--project", projectDir, "--out", dist, ...args],
      { cwd: projectDir, timeout: 600_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, TZ: "UTC" } },
    );
    log = `${stdout}${stderr}`;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    await rm(projectDir, { recursive: true, force: true });
    throw new Error(
      `the offline demo build failed: ${failed.message}\n${failed.stdout ?? ""}${failed.stderr ?? ""}`,
    );
  }
  return {
    projectDir,
    dist,
    warehouse: join(projectDir, "target", "warehouse.duckdb"),
    seconds: (performance.now() - started) / 1000,
    log,
    remove: () => rm(projectDir, { recursive: true, force: true }),
  };
}
