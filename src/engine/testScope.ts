/**
 * Whether a data test of this run may check only the rows an incremental build wrote instead
 * of its whole table. It may when that gives the same verdict: the model was built
 * incrementally this run (its batch is in `huitou_scratch`), the same test passed over the
 * whole table in the run that made the warehouse (testState.ts), so every kept row passed it,
 * and the analyst did not ask for `scope: all`. Row-local tests then read the written rows,
 * key tests count the written keys over the whole table, and relationships checks the written
 * child rows, but only while no key of the parent can have gone (a kept child row would be
 * orphaned unseen). Pure.
 */
import type { MappedSql } from "./lineMap.ts";
import { testHash } from "./testState.ts";
import type { Plan, TestNode } from "./types.ts";

export interface RunFacts {
  /**
   * Models built incrementally this run whose table is the kept rows plus the batch, and source
   * tables merged into or kept by the ingest (sourceBatches.ts): rows written, by node id. (The
   * session leaves out models with a `post_hook`, which may change rows.)
   */
  written: ReadonlyMap<string, number>;
  /** Ids of the nodes this run wrote in any way (models, seeds, sources). */
  rebuilt: ReadonlySet<string>;
  /** Test id → definition hash of the tests that passed in the warehouse this run started from. */
  passed: ReadonlyMap<string, string>;
}

export interface NarrowedRun {
  sql: MappedSql;
  /** Rows the tested model wrote this run (before a `where`). */
  rows: number;
}

/** The variant `test` runs this time, or undefined to check the whole table. */
export function narrowedRun(test: TestNode, plan: Plan, facts: RunFacts): NarrowedRun | undefined {
  const { narrowed, attachedTo } = test;
  if (!narrowed || attachedTo === undefined || test.config.scope === "all") return undefined;
  const rows = facts.written.get(attachedTo);
  if (rows === undefined) return undefined;
  if (facts.passed.get(test.id) !== testHash(test, plan)) return undefined;
  if (narrowed.kind === "child" && !keepsKeys(narrowed.parent, narrowed.parentKey, plan, facts))
    return undefined;
  return { sql: narrowed.sql, rows };
}

/** Whether every `key` value the parent held before this run is still there. */
function keepsKeys(
  parentId: string | undefined,
  key: string | undefined,
  plan: Plan,
  facts: RunFacts,
): boolean {
  const parent = parentId === undefined ? undefined : plan.nodes.get(parentId);
  if (!parent || parent.kind === "test") return false;
  // A view follows its inputs, which may have changed: never assume it kept its keys.
  if (parent.kind === "model" && ["view", "ephemeral"].includes(parent.config.materialized)) return false;
  if (!facts.rebuilt.has(parent.id)) return true;
  // Rebuilt in full (a table, a seed, a source load) it may have lost any key.
  if (parent.kind !== "model" || !facts.written.has(parent.id)) return false;
  // Built incrementally: a pre_hook may delete rows; appending removes nothing; a merge replaces
  // rows with the same unique_key, so only a key that is the unique_key itself is kept.
  if (parent.hooks.pre.some((hook) => hook.text.trim() !== "")) return false;
  if (parent.config.incrementalStrategy === "append") return true;
  return parent.config.uniqueKey.length === 1 && parent.config.uniqueKey[0] === key;
}
