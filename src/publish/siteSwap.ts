/**
 * Putting a rendered site in place of the published one. POSIX has no atomic exchange of two
 * folders, so the swap is two renames (published → `<out>.old-<pid>`, staged → `<out>`), and
 * a process killed between them leaves `<out>` missing with the old site beside it; `recover`
 * puts it back before the next build touches anything, and clears the scratch folders that
 * killed builds leave (`<out>.staged`, `<out>.next-*`, `<out>.cache-*`, `<out>.old-*`).
 */
import { basename, dirname, join } from "node:path";
import type { DeployFs } from "./deployFs.ts";

type SwapFs = Pick<DeployFs, "exists" | "list" | "rename" | "remove" | "mkdir">;

/** Where a site is rendered before it replaces `outDir`. */
export function stagedDir(outDir: string): string {
  return `${outDir}.staged`;
}

/** Replaces `outDir` with `staged` (two renames on one file system), removing the old site. */
export async function swapSite(staged: string, outDir: string, fs: SwapFs, pid: number): Promise<void> {
  const old = `${outDir}.old-${pid}`;
  await fs.remove(old);
  await fs.mkdir(dirname(outDir));
  const hadOld = await fs.exists(outDir);
  if (hadOld) await fs.rename(outDir, old);
  try {
    await fs.rename(staged, outDir);
  } catch (error) {
    if (hadOld) await fs.rename(old, outDir);
    throw error;
  }
  await fs.remove(old);
}

/**
 * Restores a site left beside `outDir` by a swap that was killed half-way, then removes the
 * scratch folders of killed builds. Call it only while holding the warehouse lock (one build at a time).
 */
export async function recoverSite(outDir: string, fs: SwapFs): Promise<string[]> {
  const parent = dirname(outDir);
  const base = basename(outDir);
  const siblings = (await fs.list(parent)).filter((name) => name.startsWith(`${base}.`));
  const olds = siblings.filter((name) => name.startsWith(`${base}.old-`));
  const notes: string[] = [];
  if (!(await fs.exists(outDir)) && olds.length > 0) {
    const keep = olds.at(-1)!;
    await fs.rename(join(parent, keep), outDir);
    notes.push(`restored the published site from ${keep}, left by an interrupted build`);
  }
  const scratch = /^\.(staged|old-|next-|cache-)/;
  for (const name of siblings) {
    if (scratch.test(name.slice(base.length)) && (await fs.exists(join(parent, name)))) {
      await fs.remove(join(parent, name));
    }
  }
  return notes;
}
