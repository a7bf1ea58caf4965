/** Shared by the site tests: an in-memory warehouse and a page compiler bound to it. */
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
  options: { locale?: Locale; params?: Record<string, string>; route?: string; glossary?: ReturnType<typeof makeGlossary> } = {},
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
    if (node.kind === "grid" || node.kind === "alert" || node.kind === "details") return [node, ...flatten(node.nodes)];
    if (node.kind === "variants") return [node, ...node.variants.flatMap((variant) => flatten(variant.nodes))];
    return [node];
  });
}

export function htmlOf(page: CompiledPage): string {
  return flatten(page.nodes)
    .map((node) => (node.kind === "html" ? node.html : ""))
    .join("");
}
