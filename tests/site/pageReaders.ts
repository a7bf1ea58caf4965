/**
 * Test helper: what a built page shows, read from the DOM the way a reader sees it (visible
 * tiles, a card's table, a chart's legend; hidden filter variants skipped), and the routes a
 * built site holds.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";

/** The routes of every `index.html` under `dir`, sorted. */
export async function htmlRoutes(dir: string, prefix = "/"): Promise<string[]> {
  const out: string[] = [];
  for (const item of await readdir(dir, { withFileTypes: true })) {
    if (item.isDirectory()) out.push(...(await htmlRoutes(join(dir, item.name), `${prefix}${item.name}/`)));
    else if (item.name === "index.html") out.push(prefix);
  }
  return out.sort();
}

/** The visible tiles of a page: title → shown value (tiles in hidden filter variants skipped). */
export async function tiles(page: Page): Promise<Record<string, string>> {
  const pairs = await page
    .locator(".tile")
    .evaluateAll((nodes) =>
      nodes
        .filter((node) => !node.closest("[hidden]"))
        .map((node) => [
          node.querySelector(".tile-title")?.textContent?.trim() ?? "",
          node.querySelector(".tile-value")?.textContent?.trim() ?? "",
        ]),
    );
  return Object.fromEntries(pairs);
}

export interface ShownCell {
  text: string;
  raw: string;
}

/** The rows of the visible table (a DataTable or a chart's data table) under a card title. */
export async function table(page: Page, title: string): Promise<ShownCell[][]> {
  const rows = await page.locator(".card").evaluateAll((cards, wanted) => {
    const card = cards.find(
      (node) =>
        !node.closest("[hidden]") && node.querySelector(".card-title")?.textContent?.trim() === wanted,
    );
    if (!card) return null;
    return [...card.querySelectorAll("tbody tr")].map((tr) =>
      [...tr.querySelectorAll("td")].map((td) => ({
        text: td.textContent?.trim() ?? "",
        raw: (td as HTMLElement).dataset.v ?? "",
      })),
    );
  }, title);
  if (!rows) throw new Error(`no visible card titled ${title}`);
  return rows;
}

/** The series of the visible "rate by group" chart on the repurchase page, from its legend. */
export function groupLegend(page: Page): Promise<(string | undefined)[]> {
  return page.locator("figure.chart").evaluateAll((figures) => {
    const figure = figures.find(
      (node) =>
        !node.closest("[hidden]") &&
        node.querySelector(".card-title")?.textContent?.startsWith("按组的月度比率"),
    );
    return [...(figure?.querySelectorAll(".swatches li") ?? [])].map((item) => item.textContent?.trim());
  });
}
