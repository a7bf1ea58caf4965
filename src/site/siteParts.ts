/**
 * The parts of a site build shared by the full build (buildSite.ts) and the dev server's
 * incremental render (src/publish/devSite.ts): the navigation, the links that decide which
 * template pages exist, and the finishing of a rendered page (CSP, attribute hardening, the
 * self-containment check).
 */
import { errors } from "../errors.ts";
import { applyPolicy, externalReferences } from "./csp.ts";
import type { PageFile } from "./discoverPages.ts";
import { escapeAttributeBrackets } from "./harden.ts";
import type { ParsedPage } from "./parsePage.ts";
import type { CompiledPage, Locale, NavItem, RenderNode } from "./types.ts";

/** Site paths linked from a page's nodes, resolved against its route. */
export function linksOf(nodes: RenderNode[], route: string): string[] {
  const out: string[] = [];
  const base = `http://site${route}`;
  const add = (href: string) => {
    try {
      out.push(decodeURI(new URL(href.replaceAll("&amp;", "&"), base).pathname));
    } catch {
      // not a link we can follow
    }
  };
  for (const node of nodes) {
    if (node.kind === "html") for (const match of node.html.matchAll(/href="([^"]*)"/g)) add(match[1]!);
    else if (node.kind === "dataTable" || node.kind === "chart") {
      for (const row of node.table.rows) for (const cell of row) if (cell.href) add(cell.href);
    } else if (node.kind === "grid" || node.kind === "alert" || node.kind === "details")
      out.push(...linksOf(node.nodes, route));
    else if (node.kind === "variants")
      for (const variant of node.variants) out.push(...linksOf(variant.nodes, route));
  }
  return out;
}

/** Navigation: the non-template pages of the top two levels, by `sidebar_position`, then path. */
export function navigation(
  sources: { file: PageFile; parsed: ParsedPage }[],
  pages: CompiledPage[],
  locale: Locale,
): NavItem[] {
  const byRoute = new Map(pages.map((page) => [page.route, page]));
  return sources
    .filter(
      (entry) =>
        !entry.file.param &&
        entry.parsed.frontmatter.hide_from_nav !== true &&
        entry.file.route.split("/").length <= 3 &&
        byRoute.has(entry.file.route),
    )
    .map((entry) => ({ entry, position: Number(entry.parsed.frontmatter.sidebar_position ?? 999) }))
    .sort((a, b) => a.position - b.position || a.entry.file.route.localeCompare(b.entry.file.route))
    .map(({ entry }) => {
      const page = byRoute.get(entry.file.route)!;
      const short = entry.parsed.frontmatter[locale === "en" ? "nav_title_en" : "nav_title"];
      return { route: entry.file.route, title: typeof short === "string" ? short : page.title };
    });
}

/** A rendered page made final: hardened, its CSP filled; a reference to another host fails it. */
export function finishHtml(html: string, file: string): string {
  const out = applyPolicy(escapeAttributeBrackets(html));
  const external = externalReferences(out);
  if (external.length) {
    throw errors.page(`the page refers to another host (${external[0]}): the site must be self-contained`, {
      file,
    });
  }
  return out;
}
