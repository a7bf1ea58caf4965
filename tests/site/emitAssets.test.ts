/**
 * The built site's content-named assets (src/site/emitAssets.ts, through astroBuild and
 * buildSite): two builds of the fixture site whose data differ (more buyers in
 * repurchase_monthly, another run and analysis date) write the same asset files, byte for byte;
 * a change to the page script renames its file; every page loads exactly the two assets, which
 * exist, by URLs relative to the page, and its policy allows them; dev's copy of the assets.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import { astroBuild } from "../../src/site/astroBuild.ts";
import { buildSite, type SiteReport } from "../../src/site/buildSite.ts";
import { copyAssets } from "../../src/site/emitAssets.ts";
import { fixtureWarehouse } from "./helpers.ts";
import { htmlRoutes } from "./pageReaders.ts";

const PROJECT = fileURLToPath(new URL("../fixtures/site-shop", import.meta.url));
const SCRIPT = fileURLToPath(new URL("../../src/site/client/page.js", import.meta.url));

let dir: string;
let first: SiteReport;
let second: SiteReport;

/** The files of a site's `_assets/` folder: name → content. */
async function assetFiles(site: string): Promise<Record<string, string>> {
  const folder = join(site, "_assets");
  const names = (await readdir(folder)).sort();
  return Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await readFile(join(folder, name), "utf8")] as const)),
  );
}

const overviewBuyers = (html: string) => /class="tile-value[^"]*" data-value[^>]*>([^<]*)</.exec(html)?.[1];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "huitou-assets-"));
  await mkdir(join(dir, "a"));
  await mkdir(join(dir, "b"));
  first = await buildSite({
    projectDir: PROJECT,
    warehousePath: await fixtureWarehouse(join(dir, "a")),
    outDir: join(dir, "a", "dist"),
    demo: true,
    run: { id: "run-1", refreshedAt: "2024-06-16T02:00:00Z", asOf: "2024-06-15" },
  });
  // The next night's refresh: other numbers, another run, another analysis date.
  const warehouse = await fixtureWarehouse(join(dir, "b"));
  const db = await openDuckDB(warehouse);
  await db.execute("update repurchase_monthly set buyers = buyers + 1000");
  await db.close();
  second = await buildSite({
    projectDir: PROJECT,
    warehousePath: warehouse,
    outDir: join(dir, "b", "dist"),
    demo: true,
    run: { id: "run-2", refreshedAt: "2024-06-17T02:00:00Z", asOf: "2024-06-16" },
  });
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a refresh that changes only data", () => {
  it("changes the pages: the overview's May buyers go from 200 to 200 + 1000 = 1,200", async () => {
    const before = await readFile(join(first.outDir, "index.html"), "utf8");
    const after = await readFile(join(second.outDir, "index.html"), "utf8");
    expect([overviewBuyers(before), overviewBuyers(after)]).toEqual(["200", "1,200"]);
  });

  it("writes the same asset files under the same names, byte for byte", async () => {
    const before = await assetFiles(first.outDir);
    const after = await assetFiles(second.outDir);
    expect(Object.keys(before)).toEqual([
      expect.stringMatching(/^page\.[0-9a-f]{8}\.js$/),
      expect.stringMatching(/^site\.[0-9a-f]{8}\.css$/),
    ]);
    expect(after).toEqual(before);
  });

  it("turns Jekyll off, which would drop the `_assets` folder of a site published from a branch", async () => {
    expect(await readFile(join(first.outDir, ".nojekyll"), "utf8")).toBe("");
  });

  it("ships the page script as it is in src/site/client/page.js", async () => {
    const files = await assetFiles(first.outDir);
    const script = Object.entries(files).find(([name]) => name.endsWith(".js"))![1];
    expect(script).toBe((await readFile(SCRIPT, "utf8")).trim());
  });

  it("reports the assets apart from the pages", async () => {
    const files = await assetFiles(first.outDir);
    expect(first.assets?.map((asset) => asset.file)).toEqual(
      Object.keys(files).map((name) => `_assets/${name}`),
    );
    for (const asset of first.assets ?? [])
      expect(asset.bytes).toBe(Buffer.byteLength(files[asset.file.slice("_assets/".length)]!));
  });
});

describe("every page of the build", () => {
  it("loads the stylesheet and the script by URLs relative to the page, and both exist", async () => {
    const names = Object.keys(await assetFiles(first.outDir));
    const routes = await htmlRoutes(first.outDir);
    expect(routes).toHaveLength(13);
    for (const route of routes) {
      const html = await readFile(join(first.outDir, route, "index.html"), "utf8");
      const styles = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]!);
      const scripts = [...html.matchAll(/<script src="([^"]+)"><\/script>/g)].map((m) => m[1]!);
      // From /campaigns/C1/ the root is two folders up: ../../_assets/…
      const up = route === "/" ? "./" : "../".repeat(route.split("/").length - 2);
      expect(styles, route).toEqual([`${up}_assets/${names[1]}`]);
      expect(scripts, route).toEqual([`${up}_assets/${names[0]}`]);
      for (const url of [...styles, ...scripts]) {
        const file = posix.normalize(posix.join(route, url)).slice(1);
        expect(
          names.map((name) => `_assets/${name}`),
          `${route} loads ${url}`,
        ).toContain(file);
      }
    }
  });

  it("inlines no script and no style, and allows exactly the site's own files", async () => {
    for (const route of await htmlRoutes(first.outDir)) {
      const html = await readFile(join(first.outDir, route, "index.html"), "utf8");
      expect(html.match(/<style\b/g), route).toBeNull();
      expect(html.match(/<script>/g), route).toBeNull();
      expect(html, route).not.toMatch(/\sstyle="/);
      const policy = /<meta http-equiv="content-security-policy" content="([^"]+)"/.exec(html)?.[1];
      expect(policy, route).toBe(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src data:; base-uri 'none'; form-action 'none'",
      );
    }
  });
});

describe("a change to the page script", () => {
  it("renames the script's file and no other", async () => {
    const source = (await readFile(SCRIPT, "utf8")).trim();
    const out = join(dir, "changed");
    const written = await astroBuild(
      {
        locale: "en",
        demo: false,
        run: { id: "run-3", refreshedAt: "2024-06-17T02:00:00Z", asOf: "2024-06-16" },
        nav: [{ route: "/", title: "Home" }],
        pages: [
          {
            route: "/",
            title: "Home",
            file: "pages/index.md",
            nodes: [{ kind: "html", html: "<p>hi</p>" }],
            hasInputs: false,
          },
        ],
        script: `${source}\n// one more line`,
      },
      { outDir: out, scratchDir: join(dir, "changed-cache") },
    );
    const before = Object.keys(await assetFiles(first.outDir)).map((name) => `_assets/${name}`);
    expect(written).toHaveLength(2);
    // The script: another name; the stylesheet: the same one (it depends on the code, not the pages).
    expect(written[0]).toMatch(/^_assets\/page\.[0-9a-f]{8}\.js$/);
    expect(written[0]).not.toBe(before[0]);
    expect(written[1]).toBe(before[1]);
    const page = await readFile(join(out, "index.html"), "utf8");
    expect(page).toContain(`<script src="./${written[0]}"></script>`);
    expect(await readFile(join(out, written[0]!), "utf8")).toBe(`${source}\n// one more line`);
  });
});

describe("copyAssets (the dev server's partial render)", () => {
  it("copies the assets a folder lacks and leaves the ones it has", async () => {
    const to = join(dir, "served");
    await mkdir(join(to, "_assets"), { recursive: true });
    const names = Object.keys(await assetFiles(first.outDir));
    // A file of the same name is the same content by construction: a marker shows it is not rewritten.
    await writeFile(join(to, "_assets", names[0]!), "kept");
    await copyAssets(first.outDir, to);
    const copied = await assetFiles(to);
    expect(Object.keys(copied)).toEqual(names);
    expect(copied[names[0]!]).toBe("kept");
    expect(copied[names[1]!]).toBe((await assetFiles(first.outDir))[names[1]!]);
  });
});
