/** Shared by the site tests: an in-memory warehouse and a page compiler bound to it. */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Adapter } from "../../src/engine/adapters/adapter.ts";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import { compilePage } from "../../src/site/compile/compilePage.ts";
import { makeGlossary } from "../../src/site/glossary.ts";
import { parsePage } from "../../src/site/parsePage.ts";
import type { CompiledPage, Locale, RenderNode } from "../../src/site/types.ts";

export async function memoryWarehouse(sql: string): Promise<Adapter> {
  const db = await openDuckDB(":memory:");
  await db.execute(sql);
  return db;
}

export async function compile(
  db: Adapter,
  source: string,
  options: {
    locale?: Locale;
    params?: Record<string, string>;
    route?: string;
    glossary?: ReturnType<typeof makeGlossary>;
  } = {},
): Promise<CompiledPage> {
  let id = 0;
  return compilePage(
    parsePage(source, "pages/test.md"),
    {
      file: "pages/test.md",
      source,
      route: options.route ?? "/test/",
      locale: options.locale ?? "zh",
      asOf: "2024-06-15",
      glossary: options.glossary ?? makeGlossary([]),
      docs: {},
      nextId: () => `c${id++}`,
    },
    (sql) => db.query(sql),
    { params: options.params },
  );
}

/** All nodes, depth first (through grids, alerts and the default variant only when `defaults`). */
export function flatten(nodes: RenderNode[]): RenderNode[] {
  return nodes.flatMap((node) => {
    if (node.kind === "grid" || node.kind === "alert" || node.kind === "details")
      return [node, ...flatten(node.nodes)];
    if (node.kind === "variants")
      return [node, ...node.variants.flatMap((variant) => flatten(variant.nodes))];
    return [node];
  });
}

export function htmlOf(page: CompiledPage): string {
  return flatten(page.nodes)
    .map((node) => (node.kind === "html" ? node.html : ""))
    .join("");
}

const FIXTURE = fileURLToPath(new URL("../fixtures/site-shop/", import.meta.url));

/**
 * The fixture warehouse (tests/fixtures/site-shop/warehouse.sql) as a file in `dir`, with the
 * run's artifacts beside it: a manifest documenting a few columns and run results of two tests.
 */
export async function fixtureWarehouse(dir: string): Promise<string> {
  const path = join(dir, "warehouse.duckdb");
  const db = await openDuckDB(path);
  await db.execute(await readFile(join(FIXTURE, "warehouse.sql"), "utf8"));
  await db.close();
  await writeFile(join(dir, "manifest.json"), await readFile(join(FIXTURE, "manifest.json"), "utf8"));
  await writeFile(join(dir, "run_results.json"), await readFile(join(FIXTURE, "run_results.json"), "utf8"));
  return path;
}
