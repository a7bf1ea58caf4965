import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Adapter } from "../../src/engine/adapters/adapter.ts";
import { nodeFileSystem } from "../../src/engine/effects.ts";
import { openNext, warehousePaths } from "../../src/engine/warehouse.ts";

const made: string[] = [];
async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "huitou-wh-"));
  made.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

/** A stand-in database that writes a marker into its file, so swaps can be observed. */
function fakeOpen(content: string) {
  return async (path: string): Promise<Adapter> => {
    await writeFile(path, content);
    return {
      execute: async () => {},
      query: async () => ({ columns: [], rows: [] }),
      loadFile: async () => 0,
      listRelations: async () => [],
      close: async () => {},
    };
  };
}

describe("openNext", () => {
  it("publishes the next file over the current one on success", async () => {
    const paths = warehousePaths(await folder());
    const next = await openNext(paths, nodeFileSystem, fakeOpen("new"));
    expect(await readFile(paths.lock, "utf8")).toBe(String(process.pid));
    await next.publish();
    expect(await readFile(paths.current, "utf8")).toBe("new");
    expect(await nodeFileSystem.exists(paths.next)).toBe(false);
    expect(await nodeFileSystem.exists(paths.lock)).toBe(false);
  });

  it("copies the current warehouse first, and discards the copy on failure", async () => {
    const paths = warehousePaths(await folder());
    await nodeFileSystem.writeAtomic(paths.current, "old");
    let copied = "";
    const next = await openNext(paths, nodeFileSystem, async (path) => {
      copied = await readFile(path, "utf8");
      return fakeOpen("half-built")(path);
    });
    expect(copied).toBe("old");
    expect(next.copied).toBe(true);
    await next.discard();
    expect(await readFile(paths.current, "utf8")).toBe("old");
    expect(await nodeFileSystem.exists(paths.next)).toBe(false);
  });

  it("refuses to start while another live process holds the lock", async () => {
    const paths = warehousePaths(await folder());
    // The parent process (vitest's) is alive and is not this one.
    await nodeFileSystem.writeAtomic(paths.lock, String(process.ppid));
    await expect(openNext(paths, nodeFileSystem, fakeOpen("x"))).rejects.toThrow("another huitou run");
    // A lock left by a process that is gone is taken over.
    await nodeFileSystem.writeAtomic(paths.lock, "999999999");
    await (await openNext(paths, nodeFileSystem, fakeOpen("x"))).discard();
  });
});
