/**
 * Which data tests of incremental models held over their whole table in the warehouse: a test
 * that did may check only the rows the next incremental build writes (testScope.ts). A test is
 * recorded by its definition (the hash of the SQL it runs over the whole table), so a new or
 * edited test checks everything once. The records live in the warehouse they describe, in
 * `huitou_meta.test_state`, written in the run that made the rows, as
 * `huitou_meta.incremental_state` is for the models.
 */
import { createHash } from "node:crypto";
import type { Adapter } from "./adapters/adapter.ts";
import { withEphemerals } from "./ephemeral.ts";
import type { NodeResult } from "./results.ts";
import type { Plan, TestNode } from "./types.ts";

export const TEST_STATE_RELATION = "huitou_meta.test_state";

/** The definition hash of `test`: the SQL it runs over the whole table, ephemerals inlined. */
export function testHash(test: TestNode, plan: Plan): string {
  const sql = withEphemerals(test.sql, test.dependsOn, plan.nodes).text;
  return createHash("sha256").update(sql).digest("hex");
}

/** Test id → definition hash of the tests recorded as passing in `adapter`'s warehouse. */
export async function readTestState(adapter: Adapter): Promise<Map<string, string>> {
  const relations = await adapter.listRelations();
  if (!relations.some((relation) => relation.schema === "huitou_meta" && relation.name === "test_state")) {
    return new Map();
  }
  const { rows } = await adapter.query(`select test, definition_hash from ${TEST_STATE_RELATION}`);
  return new Map(rows.map((row) => [String(row.test), String(row.definition_hash)]));
}

export interface TestStateChanges {
  /** Test id → definition hash of the tests that passed this run. */
  passed: Map<string, string>;
  /** Tests whose record no longer holds: they did not pass, or did not run on rows that changed. */
  forget: string[];
}

/**
 * What a successful run changes in the records, for the tests that can narrow (those with a
 * `narrowed` variant): a pass records the definition; a warning, failure, error or skip drops
 * it, and so does not running at all when the run rebuilt the tested model (a `huitou run`
 * adds rows no test has seen). Pure.
 */
export function testStateChanges(
  plan: Plan,
  results: readonly NodeResult[],
  rebuilt: ReadonlySet<string>,
): TestStateChanges {
  const byId = new Map(results.map((result) => [result.id, result]));
  const passed = new Map<string, string>();
  const forget: string[] = [];
  for (const node of plan.nodes.values()) {
    if (node.kind !== "test" || !node.narrowed) continue;
    const result = byId.get(node.id);
    if (result?.status === "pass") passed.set(node.id, testHash(node, plan));
    else if (result || node.dependsOn.some((id) => rebuilt.has(id))) forget.push(node.id);
  }
  return { passed, forget };
}

/** Applies `changes` to the records in `adapter`'s warehouse (the one this run built). */
export async function writeTestState(adapter: Adapter, changes: TestStateChanges): Promise<void> {
  if (changes.passed.size > 0) {
    await adapter.execute(`create schema if not exists huitou_meta;
      create table if not exists ${TEST_STATE_RELATION} (test varchar primary key, definition_hash varchar, passed_at timestamp)`);
  }
  const relations = await adapter.listRelations();
  if (!relations.some((relation) => relation.schema === "huitou_meta" && relation.name === "test_state"))
    return;
  for (const test of changes.forget) {
    await adapter.execute(`delete from ${TEST_STATE_RELATION} where test = $test`, { test });
  }
  for (const [test, hash] of changes.passed) {
    await adapter.execute(
      `insert or replace into ${TEST_STATE_RELATION} values ($test, $hash, current_timestamp::timestamp)`,
      { test, hash },
    );
  }
}
