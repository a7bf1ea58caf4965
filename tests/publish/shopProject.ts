/**
 * Test helper: the repository's own model project (huitou_project.yml, models, seeds, sources,
 * macros) copied into a temporary folder, built on tests/fixtures/shop-small/data by a child
 * process, as a nightly refresh would run it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

export const ROOT = join(import.meta.dirname, "..", "..");
export const FIXTURES = join(ROOT, "tests", "fixtures");
export const SHOP_DATA = join(FIXTURES, "shop-small", "data");
/** What the fault tests spawn: the real `huitou build`. */
const CLI = join(ROOT, "src", "cli", "main.ts");

const copies: string[] = [];

/** A fresh copy of the shop project; `overlay` is a fixture folder copied over it. */
export async function shopProject(overlay?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "huitou-publish-"));
  copies.push(dir);
  for (const part of ["huitou_project.yml", "models", "seeds", "sources", "macros"]) {
    await cp(join(ROOT, part), join(dir, part), { recursive: true });
  }
  if (overlay) await cp(join(FIXTURES, overlay), dir, { recursive: true });
  return dir;
}

export async function removeProjects(): Promise<void> {
  for (const dir of copies.splice(0)) await rm(dir, { recursive: true, force: true });
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string[];
  stderr: string;
}

/**
 * Runs a build of `dir`; when `killAt` matches a line of its output, the process is killed
 * with SIGKILL right there (no chance to clean up), as a power cut or the OOM killer would.
 */
export function build(dir: string, killAt?: RegExp): Promise<Finished> {
  // The package root as working folder: Astro resolves its runtime from there.
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, "build", "--threads", "2", "--project", dir, "--data", SHOP_DATA, "--out", join(dir, "dist")],
    { cwd: ROOT, env: { ...process.env, HUITOU_RUN_ID: "test-run" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const stdout: string[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  createInterface({ input: child.stdout! }).on("line", (line) => {
    stdout.push(line);
    if (killAt?.test(line) && child.exitCode === null) child.kill("SIGKILL");
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
