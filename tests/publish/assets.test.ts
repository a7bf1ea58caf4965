/**
 * A refresh that changes only data must leave the site's scripts and styles alone, so that
 * returning visitors download only what changed (Evidence renames every bundle on every build
 * because the build time is baked into its entry file). Two builds of the site with
 * different data and the same run (the shop project on shop-small, then more buyers in
 * repurchase_monthly): every asset file keeps its name and bytes, and every page's
 * scripts and styles (the content-named files it loads) are identical;
 * only the numbers differ.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import { quietEffects } from "../../src/engine/effects.ts";
import { refresh } from "../../src/publish/refresh.ts";
import { buildSite } from "../../src/site/buildSite.ts";
import { hashTree } from "./hashTree.ts";
import { removeProjects, SHOP_DATA, shopProject } from "./shopProject.ts";

const RUN = { id: "run-1", refreshedAt: "2025-03-16T02:00:00Z", asOf: "2025-03-15" };
let dir: string;
let first: Record<string, string>;
let second: Record<string, string>;

/** The scripts, styles and referenced asset files of a page: everything but its content. */
function code(html: string): string[] {
  return [
    ...html.matchAll(/<script\b[^>]*>[\s\S]*?<\/script>/g),
    ...html.matchAll(/<style\b[^>]*>[\s\S]*?<\/style>/g),
    ...html.matchAll(/\b(?:src|href)="([^"#?]+\.(?:js|mjs|css|woff2?))"/g),
  ].map((match) => match[0]);
}

beforeAll(async () => {
  // The shop project built on shop-small (no site), then its site rendered twice.
  dir = await shopProject();
  const built = await refresh(
    { projectDir: dir, dataDir: SHOP_DATA, threads: 2, site: undefined },
    quietEffects(),
  );
  expect(built.failures).toEqual([]);
  const warehouse = join(dir, "target", "warehouse.duckdb");
  const options = { projectDir: dir, warehousePath: warehouse, demo: false, run: RUN };
  await buildSite({ ...options, outDir: join(dir, "first") });
  // The refresh: more buyers every month, nothing else.
  const db = await openDuckDB(warehouse);
  await db.execute("update repurchase_monthly set buyers = buyers + 1000");
  await db.close();
  await buildSite({ ...options, outDir: join(dir, "second") });
  first = await hashTree(join(dir, "first"));
  second = await hashTree(join(dir, "second"));
}, 180_000);

afterAll(removeProjects);

describe("a data-only refresh", () => {
  it("emits the same files", () => {
    expect(Object.keys(second)).toEqual(Object.keys(first));
  });

  it("leaves every asset file (anything but a page) byte-identical under the same name", () => {
    const assets = (tree: Record<string, string>) =>
      Object.fromEntries(Object.entries(tree).filter(([path]) => !path.endsWith(".html")));
    expect(assets(second)).toEqual(assets(first));
  });

  it("leaves every page's scripts and styles identical", async () => {
    // Not vacuous: the overview loads the page script and the stylesheet.
    const overview = code(await readFile(join(dir, "first", "index.html"), "utf8"));
    expect(overview.some((tag) => tag.startsWith("<script"))).toBe(true);
    expect(overview.some((tag) => tag.endsWith('.css"'))).toBe(true);
    for (const page of Object.keys(first).filter((path) => path.endsWith(".html"))) {
      const before = code(await readFile(join(dir, "first", page), "utf8"));
      const after = code(await readFile(join(dir, "second", page), "utf8"));
      expect(after, page).toEqual(before);
    }
  });

  it("changes the pages that show the data", async () => {
    expect(second["index.html"]).not.toBe(first["index.html"]);
    // The overview's buyers of February 2025, the last complete month: c29, c08, c01 and c18
    // (shop-small's README), 4 before and 4 + 1000 = 1,004 after.
    const tile = (html: string) => /class="tile-value[^"]*" data-value>([^<]*)</.exec(html)?.[1];
    expect(tile(await readFile(join(dir, "first", "index.html"), "utf8"))).toBe("4");
    expect(tile(await readFile(join(dir, "second", "index.html"), "utf8"))).toBe("1,004");
  });
});
