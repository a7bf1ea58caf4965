/**
 * What a run builds and tests for its `--select` / `--exclude`: the selected models and seeds
 * (plus any seed the warehouse lacks, so a model run alone still finds its lookups), and the
 * tests selected directly or attached to a selected node (dbt's eager indirect selection).
 */

import type { Relation } from "./adapters/adapter.ts";
import { type Selectable, select } from "./select.ts";
import type { Plan, TestNode } from "./types.ts";

function selectables(plan: Plan): Selectable[] {
  return [...plan.nodes.values()].map((node) => ({
    id: node.id,
    name: node.name,
    kind: node.kind,
    tags: node.kind === "source" ? [] : node.config.tags,
    file: node.file,
    ...(node.kind === "source" ? { sourceName: node.table.source } : {}),
  }));
}

function matched(
  plan: Plan,
  selector: string | undefined,
  exclude: string | undefined,
): Set<string> | undefined {
  if (!selector && !exclude) return undefined;
  const parents = new Map([...plan.nodes.values()].map((node) => [node.id, node.dependsOn]));
  return select(selector || "*", exclude ?? "", selectables(plan), parents);
}

/** Ids of the models and seeds to build. */
export function selectNodes(
  plan: Plan,
  selector: string | undefined,
  exclude: string | undefined,
  existing: ReadonlyMap<string, unknown>,
): Set<string> {
  const chosen = matched(plan, selector, exclude);
  const ids = new Set<string>();
  for (const node of plan.nodes.values()) {
    if (node.kind !== "model" && node.kind !== "seed") continue;
    if (!chosen || chosen.has(node.id) || (node.kind === "seed" && !existing.has(node.name)))
      ids.add(node.id);
  }
  return ids;
}

/** The tests to run: all without a selector, else those matched or reading a matched node. */
export function selectTests(
  plan: Plan,
  selector: string | undefined,
  exclude: string | undefined,
): TestNode[] {
  const chosen = matched(plan, selector, exclude);
  const excluded = exclude ? matched(plan, exclude, undefined) : undefined;
  return [...plan.nodes.values()].filter(
    (node): node is TestNode =>
      node.kind === "test" &&
      (!chosen || chosen.has(node.id) || node.dependsOn.some((id) => chosen.has(id))) &&
      !excluded?.has(node.id),
  );
}

/**
 * Whether this run rebuilds every relation the warehouse holds, so the next warehouse can start
 * empty instead of as a copy: no incremental model with data to keep, nothing unselected or
 * unknown (stale relations stay, as in dbt), and `raw.*` (with the run's bookkeeping in
 * `huitou_meta`) only when the run reloads its sources with `--full-refresh`: otherwise the
 * ingest keeps the tables whose files it has already loaded and adds only new files.
 */
export function rebuildsAll(
  relations: readonly Relation[],
  plan: Plan,
  chosen: ReadonlySet<string>,
  steps: { sources: boolean; seeds: boolean; models: boolean; fullRefresh?: boolean },
): boolean {
  const rebuilt = new Set<string>();
  for (const node of plan.nodes.values()) {
    if (!chosen.has(node.id)) continue;
    if (node.kind === "seed" && steps.seeds) rebuilt.add(node.name);
    if (node.kind === "model" && steps.models && ["view", "table"].includes(node.config.materialized)) {
      rebuilt.add(node.name);
    }
  }
  return relations.every(
    (relation) =>
      (relation.schema === "main" && rebuilt.has(relation.name)) ||
      (relation.schema !== "main" && steps.sources && steps.fullRefresh === true),
  );
}
