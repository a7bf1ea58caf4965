/**
 * The site step around the warehouse's publication, with a stand-in renderer on a small
 * engine fixture (fast): the site and the warehouse are replaced together, and a broken page
 * or a full disk while rendering keeps both as they were.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quietEffects } from "../../src/engine/effects.ts";
import { errors, HuitouError } from "../../src/errors.ts";
import { refresh } from "../../src/publish/refresh.ts";
import type { BuildSiteOptions, SiteReport } from "../../src/site/buildSite.ts";
import { hashFile, hashTree } from "./hashTree.ts";
import { FIXTURES, SHOP_DATA } from "./shopProject.ts";

let dir: string;
const env = { HUITOU_RUN_ID: "nightly-7" };

/** Stands in for buildSite: one page saying which run it shows. */
async function fakeSite(options: BuildSiteOptions): Promise<SiteReport> {
  await mkdir(options.outDir, { recursive: true });
  await writeFile(join(options.outDir, "index.html"), `<p>${options.run.id} ${options.run.asOf}</p>`);
  const page = { route: "/", file: "pages/index.md", output: "index.html", bytes: 1, gzipBytes: 1 };
  return { outDir: options.outDir, pages: [page], totalBytes: 1, maxGzipBytes: 1, durationMs: 0 };
}

const request = (render: (options: BuildSiteOptions) => Promise<SiteReport>) => ({
  projectDir: dir,
  dataDir: SHOP_DATA,
  env,
  threads: 1,
  vars: { as_of: "2024-06-30" },
  site: { outDir: join(dir, "dist"), demo: false },
  render,
});

async function published() {
  return {
    warehouse: await hashFile(join(dir, "target", "warehouse.duckdb")),
    site: await hashTree(join(dir, "dist")),
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "huitou-refresh-"));
  await cp(join(FIXTURES, "engine-basic"), dir, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("refresh", () => {
  it("publishes the warehouse and the site together, the site naming its run", async () => {
    const outcome = await refresh(request(fakeSite), quietEffects());
    expect(outcome.failures).toEqual([]);
    expect(outcome.published).toBe(true);
    // engine-basic has no int_as_of model: the configured as_of is shown.
    expect(await readFile(join(dir, "dist", "index.html"), "utf8")).toBe("<p>nightly-7 2024-06-30</p>");
    const run = JSON.parse(await readFile(join(dir, "dist", "huitou-run.json"), "utf8"));
    expect(run).toMatchObject({ id: "nightly-7", asOf: "2024-06-30" });
    expect(outcome.site?.report.outDir).toBe(join(dir, "dist"));
  });

  it("keeps both when a page is broken", async () => {
    const before = await published();
    const broken = async (): Promise<SiteReport> => {
      throw errors.page("unknown component <Chartt>", { file: "pages/index.md", line: 3, column: 1 });
    };
    const error = await refresh(request(broken), quietEffects()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HuitouError);
    expect((error as HuitouError).name).toBe("page");
    expect(await published()).toEqual(before);
  });

  it("keeps both, and says so, when the disk fills up while rendering", async () => {
    const before = await published();
    const full = async (options: BuildSiteOptions): Promise<SiteReport> => {
      await mkdir(options.outDir, { recursive: true });
      throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
    };
    const error = (await refresh(request(full), quietEffects()).catch(
      (caught: unknown) => caught,
    )) as HuitouError;
    expect([error.name, error.location?.file]).toEqual(["disk-full", join(dir, "dist")]);
    expect(await published()).toEqual(before);
    await expect(hashTree(join(dir, "dist.staged"))).rejects.toThrow("ENOENT");
  });
});
