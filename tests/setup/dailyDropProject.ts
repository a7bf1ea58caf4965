/**
 * Projects for the refresh tests: copies of the product's project whose daily tables are read
 * from daily-drop folders (`load.mode: append`, one new file per delivery), in temporary
 * folders removed after the test file.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { parse, stringify } from "yaml";

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
