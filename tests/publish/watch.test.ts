/** Watching a project: edits come as one batch of project-relative paths, scratch files left out. */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isScratch, watchProject } from "../../src/publish/watch.ts";

const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

describe("isScratch", () => {
  it("recognizes editors' temporary files", () => {
    for (const name of [
      "models/.a.sql.swp",
      "models/a.sql~",
      "pages/#x.md#",
      "models/4913",
      "models/.#a.sql",
    ])
      expect(isScratch(name), name).toBe(true);
    for (const name of ["models/a.sql", "pages/index.md", "seeds/regions.csv"])
      expect(isScratch(name), name).toBe(false);
  });
});

describe("watchProject", () => {
  it("gathers several edits into one batch, in a nested folder too", async () => {
    const dir = await mkdtemp(join(tmpdir(), "huitou-watch-"));
    made.push(dir);
    await mkdir(join(dir, "models", "marts"), { recursive: true });
    await mkdir(join(dir, "pages"));
    await writeFile(join(dir, "huitou_project.yml"), "name: w\n");
    const batches: string[][] = [];
    const first = new Promise<void>((done) => {
      const watcher = watchProject(
        dir,
        (paths) => {
          batches.push(paths);
          watcher.close();
          done();
        },
        // A long quiet time, so that a loaded machine cannot split the four writes.
        1000,
      );
      // Written together, within the quiet time: one batch.
      setTimeout(async () => {
        await writeFile(join(dir, "models", "marts", "a.sql"), "select 1");
        await writeFile(join(dir, "models", "marts", ".a.sql.swp"), "x");
        await writeFile(join(dir, "pages", "index.md"), "# hi");
        await writeFile(join(dir, "huitou_project.yml"), "name: w2\n");
      }, 50);
    });
    await first;
    expect(batches).toEqual([["huitou_project.yml", "models/marts/a.sql", "pages/index.md"]]);
  });
});
