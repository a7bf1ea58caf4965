/**
 * Projects for the refresh tests: copies of the product's project whose daily tables are read
 * from daily-drop folders (`load.mode: append`, one new file per delivery), in temporary
 * folders removed after the test file, and the `huitou build` they run.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import { parse, stringify } from "yaml";
import { quietEffects } from "../../src/engine/effects.ts";
import { type RunOutcome, runProject } from "../../src/engine/session.ts";

/** The tables a shop drops one file a day for; the rest are whole exports. */
export const DAILY_TABLES = ["orders", "order_items", "reviews", "campaign_contacts"];

const repo = join(import.meta.dirname, "../..");
const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

/** A new temporary folder, removed after the test file. */
export async function temporary(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A copy of the product's project whose daily tables read `<table>/*.csv`. */
export async function dailyDropProject(prefix: string): Promise<string> {
  const dir = await temporary(prefix);
  for (const entry of ["huitou_project.yml", "models", "seeds", "macros", "sources"]) {
    await cp(join(repo, entry), join(dir, entry), { recursive: true });
  }
  const path = join(dir, "sources/shop.yml");
  const yaml = parse(await readFile(path, "utf8"));
  for (const table of yaml.sources[0].tables as { name: string; load?: unknown }[]) {
    if (DAILY_TABLES.includes(table.name)) table.load = { path: `${table.name}/*.csv`, mode: "append" };
  }
  await writeFile(path, stringify(yaml));
  return dir;
}

/**
 * `huitou build` of `projectDir` over the files of `dataDir` (as_of and other variables,
 * `select` as --select), quietly; every node must succeed.
 */
export async function buildProject(
  projectDir: string,
  dataDir: string,
  options: { asOf?: string; vars?: Record<string, string>; select?: string } = {},
): Promise<RunOutcome> {
  const outcome = await runProject(
    {
      projectDir,
      dataDir,
      ...(options.select ? { select: options.select } : {}),
      vars: { ...options.vars, ...(options.asOf ? { as_of: options.asOf } : {}) },
      invocation: "build",
      steps: { sources: true, seeds: true, models: true, tests: true },
      threads: 2,
    },
    quietEffects(),
  );
  expect(outcome.failures.map((failure) => failure.message)).toEqual([]);
  return outcome;
}
