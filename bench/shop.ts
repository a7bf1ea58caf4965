/**
 * The benchmark's inputs on disk: the demo shop at a requested order count (cached in
 * bench/cache/ by size and seed) and a project folder that points at the live models, seeds,
 * macros, sources and tests through symbolic links, so the bench's warehouse, artifacts and
 * site never land in the project's own target/ or dist/. That folder lives in the system's
 * temporary folder, not under bench/: tsc and biome would follow its links into the models.
 */

import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The demo generator writes about 2.9 orders per CRM customer (see bench/demo.ts). */
export const ORDERS_PER_CUSTOMER = 2.9;

/** What the project folder links to, relative to the project root. */
const PROJECT_ENTRIES = ["huitou_project.yml", "models", "seeds", "macros", "sources", "tests"];

/** CRM customers to generate for about `orders` orders (at least 1). */
export function customersFor(orders: number): number {
  return Math.max(1, Math.round(orders / ORDERS_PER_CUSTOMER));
}

/** The folder of the cached shop for a size and seed; the key is the requested size, not the actual count. */
export function shopDir(cacheDir: string, orders: number, seed: number): string {
  return join(cacheDir, `shop-${orders}-seed${seed}`);
}

/** What the cache remembers about a generated shop. */
export interface ShopMeta {
  requestedOrders: number;
  seed: number;
  customers: number;
  counts: Record<string, number>;
}

/** The cached shop's metadata, or undefined when the cache has no complete shop. */
export async function readShop(dir: string): Promise<ShopMeta | undefined> {
  const path = join(dir, "bench-meta.json");
  if (!existsSync(path)) return undefined;
  return JSON.parse(await readFile(path, "utf8")) as ShopMeta;
}

/** Marks a generated shop complete (written last, so a killed generation is regenerated). */
export async function writeShop(dir: string, meta: ShopMeta): Promise<void> {
  await writeFile(join(dir, "bench-meta.json"), `${JSON.stringify(meta, null, 2)}\n`);
}

/**
 * A project folder (one per cache folder, in the system's temporary folder) whose entries link
 * to the project at `root`; returns its path. Pages are not linked: the site renders the
 * built-in pages of `root`.
 */
export async function benchProject(root: string, cacheDir: string): Promise<string> {
  const key = createHash("sha256").update(cacheDir).digest("hex").slice(0, 12);
  const dir = join(tmpdir(), `huitou-bench-${key}`);
  await mkdir(dir, { recursive: true });
  for (const entry of PROJECT_ENTRIES) {
    const target = join(root, entry);
    const link = join(dir, entry);
    if (!existsSync(target)) continue;
    // Relinked every time: the cache folder may have moved, or the project gained an entry.
    await rm(link, { force: true, recursive: false });
    await symlink(target, link);
  }
  return dir;
}

/** Removes the bench project's warehouse files, so the next run starts from nothing. */
export async function dropWarehouse(projectDir: string): Promise<void> {
  // The lock too: a stage stopped at --timeout leaves it, and the bench runs one stage at a time.
  for (const name of [
    "warehouse.duckdb",
    "warehouse.duckdb.wal",
    "warehouse.next.duckdb",
    "warehouse.next.duckdb.wal",
    "warehouse.lock",
  ]) {
    await rm(join(projectDir, "target", name), { force: true });
  }
}
