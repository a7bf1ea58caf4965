/**
 * What `huitou dev` rebuilds for a batch of edited files, decided from the project's plan
 * alone: an edited model or seed (or the YAML beside it) rebuilds it and its descendants
 * (`name+`); an edited macro rebuilds the models whose SQL calls it, and their descendants; an
 * edited source declaration reloads the sources and rebuilds what reads them; an edited page
 * recompiles that page; the project file rebuilds everything. Pure: paths and plan in.
 */
import type { Plan } from "../engine/types.ts";

export interface DevChange {
  /** Selector terms for the engine (`stg_orders+`, `source:shop.orders+`); empty: no model to build. */
  select: string[];
  /** Rebuild every model (the project file changed). */
  all: boolean;
  /** Reload the sources first. */
  sources: boolean;
  /** Page files (project-relative) edited. */
  pages: string[];
  /** Edited files that affect nothing the dev server builds. */
  ignored: string[];
}

/** Names of the macros defined in a macros/*.sql file. */
export function macroNames(text: string): string[] {
  return [...text.matchAll(/\{%-?\s*macro\s+([A-Za-z_]\w*)\s*\(/g)].map((match) => match[1]!);
}

/** The rebuild for `paths` (project-relative, `/`-separated) against the current `plan`. */
export function planChange(paths: readonly string[], plan: Plan): DevChange {
  const terms = new Set<string>();
  const change: DevChange = { select: [], all: false, sources: false, pages: [], ignored: [] };
  const nodes = [...plan.nodes.values()];
  for (const path of [...new Set(paths)].sort()) {
    const top = path.split("/")[0];
    if (path === plan.project.file) change.all = true;
    else if (top === "pages" && path.endsWith(".md")) change.pages.push(path);
    else if (top === "macros" && path.endsWith(".sql")) {
      const names = macroNames(plan.sources.get(path) ?? "");
      for (const node of nodes) {
        if (node.kind !== "model") continue;
        const text = plan.sources.get(node.file) ?? "";
        if (names.some((name) => new RegExp(`\\b${name}\\s*\\(`).test(text))) terms.add(`${node.name}+`);
      }
    } else if (top === "sources" && /\.ya?ml$/.test(path)) {
      change.sources = true;
      for (const node of nodes) {
        if (node.kind === "source" && node.file === path)
          terms.add(`source:${node.table.source}.${node.name}+`);
      }
    } else {
      const touched = nodes.filter(
        (node) =>
          (node.kind === "model" || node.kind === "seed") &&
          (node.file === path || node.docs?.location.file === path),
      );
      for (const node of touched) terms.add(`${node.name}+`);
      if (touched.length === 0) change.ignored.push(path);
    }
  }
  change.select = change.all ? [] : [...terms].sort();
  return change;
}
