/** Swapping a rendered site in, and recovering from a build killed between the two renames. */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { nodeDeployFs } from "../../src/publish/deployFs.ts";
import { recoverSite, stagedDir, swapSite } from "../../src/publish/siteSwap.ts";

let base: string;
const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "huitou-swap-"));
  made.push(base);
});

async function page(dir: string, text: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "index.html"), text);
}

describe("swapSite", () => {
  it("puts the staged site in place and leaves nothing beside it", async () => {
    const out = join(base, "dist");
    await page(out, "old");
    await page(stagedDir(out), "new");
    await swapSite(stagedDir(out), out, nodeDeployFs, 7);
    expect(await readFile(join(out, "index.html"), "utf8")).toBe("new");
    expect(await readdir(base)).toEqual(["dist"]);
  });

  it("publishes a first site where there was none", async () => {
    const out = join(base, "site", "dist");
    await page(join(base, "staged"), "first");
    await swapSite(join(base, "staged"), out, nodeDeployFs, 7);
    expect(await readFile(join(out, "index.html"), "utf8")).toBe("first");
  });

  it("puts the old site back when the second rename fails", async () => {
    const out = join(base, "dist");
    await page(out, "old");
    const failing = {
      ...nodeDeployFs,
      async rename(from: string, to: string) {
        if (from.endsWith(".staged")) throw Object.assign(new Error("EXDEV"), { code: "EXDEV" });
        await nodeDeployFs.rename(from, to);
      },
    };
    await page(stagedDir(out), "new");
    await expect(swapSite(stagedDir(out), out, failing, 7)).rejects.toThrow("EXDEV");
    expect(await readFile(join(out, "index.html"), "utf8")).toBe("old");
  });
});

describe("recoverSite", () => {
  it("restores the site a killed swap left beside the missing folder, and clears scratch", async () => {
    const out = join(base, "dist");
    // Killed after `dist → dist.old-41` and before `dist.staged → dist`.
    await page(join(base, "dist.old-41"), "published");
    await page(join(base, "dist.staged"), "half");
    await page(join(base, "dist.staged.next-ab12cd34"), "half");
    await page(join(base, "dist.cache-00ff00ff"), "");
    await page(join(base, "distant"), "someone else's");
    const notes = await recoverSite(out, nodeDeployFs);
    expect(notes).toEqual(["restored the published site from dist.old-41, left by an interrupted build"]);
    expect(await readFile(join(out, "index.html"), "utf8")).toBe("published");
    expect((await readdir(base)).sort()).toEqual(["dist", "distant"]);
  });

  it("leaves a published site alone and only clears scratch", async () => {
    const out = join(base, "dist");
    await page(out, "published");
    await page(join(base, "dist.old-41"), "older");
    expect(await recoverSite(out, nodeDeployFs)).toEqual([]);
    expect(await readFile(join(out, "index.html"), "utf8")).toBe("published");
    expect(existsSync(join(base, "dist.old-41"))).toBe(false);
  });
});
