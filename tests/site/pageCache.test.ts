/**
 * The page cache (src/site/pageCache.ts) end to end over the fixture warehouse
 * (tests/fixtures/site-shop): a page is reused only when everything it was compiled from is
 * unchanged, and a site built from the cache is byte-identical to one built without it.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import { type BuildSiteOptions, buildSite } from "../../src/site/buildSite.ts";
import { hashOf, PAGE_CACHE_FILE } from "../../src/site/pageCache.ts";
import { fixtureWarehouse } from "./helpers.ts";

// The compiler's version as buildSite sees it: the real one unless a test pretends the site
// code changed (editing src/site itself from a test is not an option).
const code = vi.hoisted(() => ({ version: undefined as string | undefined }));
vi.mock("../../src/site/compilerVersion.ts", async (original) => {
  const real = await original<typeof import("../../src/site/compilerVersion.ts")>();
  return {
    compilerVersion: async (...args: Parameters<typeof real.compilerVersion>) =>
      code.version ?? real.compilerVersion(...args),
  };
});

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
const SITE_SRC = fileURLToPath(new URL("../../src/site/", import.meta.url));
const RUN = { id: "run-42", refreshedAt: "2024-06-16T02:00:00Z", asOf: "2024-06-15" };
// The fixture's pages (as in buildSite.test.ts): nine built-in ones, the campaign template once
// per linked campaign (C1, C2), the campaigns index and the analyst's page.
const ROUTES = [
  "/",
  "/analyst/",
  "/campaigns/",
  "/campaigns/C1/",
  "/campaigns/C2/",
  "/churn/",
  "/customer-value/",
  "/data/",
  "/members/",
  "/products/",
  "/repurchase/",
  "/retention/",
  "/segments/",
];
const others = (...changed: string[]) => ROUTES.filter((route) => !changed.includes(route));

let dir: string;
let warehouse: string;
let builds = 0;

function build(options: Partial<BuildSiteOptions> = {}) {
  return buildSite({
    projectDir: join(FIXTURES, "site-shop"),
    warehousePath: warehouse,
    outDir: join(dir, `site-${builds++}`),
    demo: true,
    run: RUN,
    ...options,
  });
}

/** Every file of a built site, by path: the bytes as hex, so any difference shows. */
async function files(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[relative(root, path)] = (await readFile(path)).toString("hex");
  }
  return out;
}

async function change(sql: string) {
  const db = await openDuckDB(warehouse);
  await db.execute(sql);
  await db.close();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "huitou-page-cache-"));
  warehouse = await fixtureWarehouse(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("page cache across builds", () => {
  it("compiles every page once, then reuses them all, and the site is byte-identical to an uncached build", async () => {
    const first = await build();
    expect(first.pageCache?.compiled.toSorted()).toEqual(ROUTES);
    expect(first.pageCache?.reused).toEqual([]);
    const second = await build();
    expect(second.pageCache?.compiled).toEqual([]);
    expect(second.pageCache?.reused.toSorted()).toEqual(ROUTES);
    const uncached = await build({ cache: false });
    expect(uncached.pageCache).toBeUndefined();
    const expected = await files(uncached.outDir);
    expect(Object.keys(expected)).toContain("campaigns/C1/index.html");
    expect(await files(second.outDir)).toEqual(expected);
    expect(await files(first.outDir)).toEqual(expected);
  });

  it("recompiles only the page whose query result changed", async () => {
    const before = await build();
    // C1's 7-day window costs 55 instead of 50. Only C1's page lists that row: the campaigns
    // index shows each campaign at its own window (C1's is 14 days, C2's 7), so it is reused.
    await change("update campaign_uplift set cost = 55.0 where campaign_id = 'C1' and window_days = 7");
    const after = await build();
    expect(after.pageCache?.compiled).toEqual(["/campaigns/C1/"]);
    expect(after.pageCache?.reused.toSorted()).toEqual(others("/campaigns/C1/"));
    const page = (report: { outDir: string }, route: string) =>
      readFile(join(report.outDir, route, "index.html"), "utf8");
    expect(await page(after, "campaigns/C1")).not.toEqual(await page(before, "campaigns/C1"));
    expect(await page(after, "campaigns/C2")).toEqual(await page(before, "campaigns/C2"));
    expect(await files(after.outDir)).toEqual(await files((await build({ cache: false })).outDir));
  });

  it("recompiles only the page whose source changed", async () => {
    const project = join(dir, "project");
    await cp(join(FIXTURES, "site-shop"), project, { recursive: true });
    await build({ projectDir: project });
    const page = join(project, "pages", "analyst.md");
    await writeFile(page, (await readFile(page, "utf8")).replace("An analyst's page", "A colleague's page"));
    const after = await build({ projectDir: project });
    expect(after.pageCache?.compiled).toEqual(["/analyst/"]);
    const html = await readFile(join(after.outDir, "analyst", "index.html"), "utf8");
    expect(html).toContain("A colleague");
    expect(html).not.toContain("An analyst");
  });

  it("recompiles a page whose query now fails differently (an optional table appears)", async () => {
    // The fixture has no campaign_response: both campaign pages show it as missing. Creating it
    // changes the outcome of their 'bought' query (an error before, rows now: C1's, none for
    // C2), and of the Data page's list of tables with their row counts; nothing else's.
    await build(); // the fixture's own pages again, after the last test's edited copy
    await change(`create table campaign_response as select * from (values
      ('C1', 'treatment', 100), ('C1', 'holdout', 50)) as t(campaign_id, "group", contacts)`);
    const after = await build();
    expect(after.pageCache?.compiled.toSorted()).toEqual(["/campaigns/C1/", "/campaigns/C2/", "/data/"]);
    expect(await files(after.outDir)).toEqual(await files((await build({ cache: false })).outDir));
  });

  it("recompiles only the Data page when only the run's artifacts change", async () => {
    await build();
    const path = join(dir, "run_results.json");
    const results = JSON.parse(await readFile(path, "utf8"));
    results.elapsed_time = (results.elapsed_time ?? 0) + 1;
    await writeFile(path, JSON.stringify(results));
    const after = await build();
    expect(after.pageCache?.compiled).toEqual(["/data/"]);
    expect(after.pageCache?.reused.toSorted()).toEqual(others("/data/"));
  });

  it("recompiles every page when the locale or the site code changes", async () => {
    await build();
    const english = await build({ locale: "en" });
    expect(english.pageCache?.compiled.toSorted()).toEqual(ROUTES);
    expect(await files(english.outDir)).toEqual(
      await files((await build({ locale: "en", cache: false })).outDir),
    );
    expect((await build({ locale: "en" })).pageCache?.compiled).toEqual([]);
    code.version = "a component was edited";
    try {
      expect((await build({ locale: "en" })).pageCache?.compiled.toSorted()).toEqual(ROUTES);
    } finally {
      code.version = undefined;
    }
  });

  it("recompiles, when as_of moves, the pages with a date filter or naming asOf, and only those", async () => {
    await build();
    // Date filters (DateRange): the overview, campaigns, churn and repurchase pages; the Data
    // page writes {fmt(asOf, 'date')}. The others neither filter by date nor name asOf.
    const changed = ["/", "/campaigns/", "/churn/", "/data/", "/repurchase/"];
    const moved = await build({ run: { ...RUN, asOf: "2024-06-16" } });
    expect(moved.pageCache?.compiled.toSorted()).toEqual(changed);
    expect(moved.pageCache?.reused.toSorted()).toEqual(others(...changed));
    const uncached = await build({ run: { ...RUN, asOf: "2024-06-16" }, cache: false });
    expect(await files(moved.outDir)).toEqual(await files(uncached.outDir));
  });

  it("compiles everything, without failing, over a damaged cache file", async () => {
    await writeFile(join(dir, PAGE_CACHE_FILE), '{"format": 1, "pages": ');
    const report = await build();
    expect(report.pageCache?.compiled.toSorted()).toEqual(ROUTES);
  });
});

describe("compilerVersion", () => {
  it("changes when any file of the site code changes, and only then", async () => {
    const copy = join(dir, "site-src");
    await cp(SITE_SRC, copy, { recursive: true });
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const real = await vi.importActual<typeof import("../../src/site/compilerVersion.ts")>(
      "../../src/site/compilerVersion.ts",
    );
    const original = await real.compilerVersion(copy, root);
    expect(await real.compilerVersion(copy, root)).toBe(original);
    await writeFile(
      join(copy, "ui", "Table.astro"),
      `${await readFile(join(copy, "ui", "Table.astro"), "utf8")}\n`,
    );
    const afterComponent = await real.compilerVersion(copy, root);
    expect(afterComponent).not.toBe(original);
    await writeFile(join(copy, "i18n.ts"), `${await readFile(join(copy, "i18n.ts"), "utf8")}// a new word\n`);
    expect(await real.compilerVersion(copy, root)).not.toBe(afterComponent);
  });
});

describe("hashOf", () => {
  it("tells apart values that JSON would merge", () => {
    // JSON.stringify writes NaN, Infinity and null all as null, and -0 as 0.
    const hashes = [null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, "0"].map(
      (v) => hashOf([{ x: v }]),
    );
    expect(new Set(hashes).size).toBe(7);
    expect(hashOf([{ x: 1 }])).toBe(hashOf([{ x: 1 }]));
  });
});
