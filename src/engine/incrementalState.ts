/**
 * When an incremental model must be rebuilt in full: its definition (its own file, the files of
 * every model and seed upstream of it, and the macros) differs from the one its rows were built
 * with. dbt leaves that to the analyst's `--full-refresh`; here an edited model, macro or seed
 * rebuilds the incremental models it feeds, so rows built under an old definition never mix
 * with new ones. Variables are not part of it: as in dbt, a `--var` often picks the batch an
 * incremental run adds, so changing one that alters past rows needs `--full-refresh`. The
 * hashes live in the warehouse they describe, in `huitou_meta.incremental_state`, written in
 * the same run that builds the rows.
 */
import { createHash } from "node:crypto";
import type { Adapter } from "./adapters/adapter.ts";
import type { Plan } from "./types.ts";

export const STATE_RELATION = "huitou_meta.incremental_state";

/** Ids of `id` and everything upstream of it, in a stable order. */
function lineage(plan: Plan, id: string): string[] {
  const seen = new Set<string>();
  const visit = (current: string) => {
    if (seen.has(current)) return;
    seen.add(current);
    for (const parent of plan.nodes.get(current)?.dependsOn ?? []) visit(parent);
  };
  visit(id);
  return [...seen].sort();
}

/**
 * The definition hash of every incremental model of `plan`, by model name. Pure: `seedTexts`
 * holds the seed files' contents by node id (seeds are data the models are defined over).
 */
export function definitionHashes(plan: Plan, seedTexts: ReadonlyMap<string, string>): Map<string, string> {
  const macros = [...plan.sources.entries()]
    .filter(([file]) => plan.project.paths.macros.some((root) => file.startsWith(`${root}/`)))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const hashes = new Map<string, string>();
  for (const node of plan.nodes.values()) {
    if (node.kind !== "model" || node.config.materialized !== "incremental") continue;
    const hash = createHash("sha256");
    for (const [file, text] of macros) hash.update(`\0${file}\0${text}`);
    for (const id of lineage(plan, node.id)) {
      const upstream = plan.nodes.get(id);
      if (upstream?.kind === "model")
        hash.update(`\0${upstream.file}\0${plan.sources.get(upstream.file) ?? ""}`);
      if (upstream?.kind === "seed") hash.update(`\0${upstream.file}\0${seedTexts.get(id) ?? ""}`);
    }
    hashes.set(node.name, hash.digest("hex"));
  }
  return hashes;
}

/** The hashes stored in a warehouse (empty when it has none). */
export async function readState(adapter: Adapter): Promise<Map<string, string>> {
  const relations = await adapter.listRelations();
  if (
    !relations.some((relation) => relation.schema === "huitou_meta" && relation.name === "incremental_state")
  ) {
    return new Map();
  }
  const { rows } = await adapter.query(`select model, definition_hash from ${STATE_RELATION}`);
  return new Map(rows.map((row) => [String(row.model), String(row.definition_hash)]));
}

/** Records the hashes of the incremental models this run built (in the warehouse it built them in). */
export async function writeState(adapter: Adapter, built: ReadonlyMap<string, string>): Promise<void> {
  if (built.size === 0) return;
  await adapter.execute(`create schema if not exists huitou_meta;
    create table if not exists ${STATE_RELATION} (model varchar primary key, definition_hash varchar, built_at timestamp)`);
  for (const [model, hash] of built) {
    await adapter.execute(
      `insert or replace into ${STATE_RELATION} values ($model, $hash, current_timestamp::timestamp)`,
      { model, hash },
    );
  }
}

/** Incremental models whose stored definition differs from `current` (or that have none stored). */
export function staleModels(
  current: ReadonlyMap<string, string>,
  stored: ReadonlyMap<string, string>,
): Set<string> {
  return new Set([...current].filter(([model, hash]) => stored.get(model) !== hash).map(([model]) => model));
}
