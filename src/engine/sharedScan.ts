/**
 * One scan per relation for its row-local tests. Each row-local generic test (not_null,
 * accepted_values, accepted_range, expression_is_true) fails when some row meets its condition
 * (TestNode.rowCondition), so one query over the relation counts every such test's failing rows
 * at once: `count(*) filter (where <where> and <condition>)`, one column a test. A view is
 * computed once instead of once a test, and a table's scan reads only the columns the
 * conditions name (the single test's `select *` reads them all). A test the scan finds rows
 * for runs again alone (testStep.ts), so what it reports, failing rows and all, is what the
 * single test reports; a scan that errors runs all its tests alone, each error naming its test.
 */
import type { Adapter } from "./adapters/adapter.ts";
import { withEphemerals } from "./ephemeral.ts";
import { generated, type MappedSql } from "./lineMap.ts";
import type { NarrowedRun } from "./testScope.ts";
import type { Plan, TestNode } from "./types.ts";

/** A test of this run and the written-rows variant it runs instead, when it has one. */
export interface TestRun {
  test: TestNode;
  narrowed: NarrowedRun | undefined;
}

/** Tests sharing one scan of `relation` (the tested relation, or an incremental build's batch). */
export interface SharedScan {
  relation: string;
  members: TestRun[];
}

/**
 * The relation a row-local test reads this run: the written rows in `huitou_scratch` (a model's
 * batch, a source's view) when it checks only those, else the tested relation; undefined for a
 * test that runs alone.
 */
function scannedRelation(run: TestRun, plan: Plan): string | undefined {
  const { test, narrowed } = run;
  if (test.rowCondition === undefined || test.attachedTo === undefined) return undefined;
  const target = plan.nodes.get(test.attachedTo);
  if (!target || target.kind === "test") return undefined;
  if (!narrowed) return target.relation;
  // Only a `rows` variant reads the batch alone; the others are not row-local.
  return test.narrowed?.kind === "rows" ? test.narrowed.relation : undefined;
}

/**
 * Groups the row-local tests of each relation into shared scans (two tests or more; one test
 * alone gains nothing) and leaves the rest to run alone. Keeps the order of `runs`. Pure.
 */
export function planScans(runs: readonly TestRun[], plan: Plan): { scans: SharedScan[]; alone: TestRun[] } {
  const byRelation = new Map<string, TestRun[]>();
  const alone: TestRun[] = [];
  for (const run of runs) {
    const relation = scannedRelation(run, plan);
    if (relation === undefined) alone.push(run);
    else byRelation.set(relation, [...(byRelation.get(relation) ?? []), run]);
  }
  const scans: SharedScan[] = [];
  for (const [relation, members] of byRelation) {
    if (members.length === 1) alone.push(...members);
    else scans.push({ relation, members });
  }
  return { scans, alone };
}

/**
 * The query of `scan`: one row, column `t<i>` the failing-row count of member i. Each `where`
 * and condition sits on lines of its own, as in the single test, so a `--` comment ends there.
 */
export function scanSql(scan: SharedScan, plan: Plan): MappedSql {
  const counts = scan.members.map(({ test }, index) => {
    const where = test.config.where ? `(\n${test.config.where}\n) and ` : "";
    return `count(*) filter (where ${where}(\n${test.rowCondition}\n)) as "t${index}"`;
  });
  const sql = generated(`select\n${counts.join(",\n")}\nfrom ${scan.relation}`);
  const dependsOn = [...new Set(scan.members.flatMap(({ test }) => test.dependsOn))];
  return withEphemerals(sql, dependsOn, plan.nodes);
}

/** Runs `scan` on `adapter`: the failing-row count of each member, in order. */
export async function runScan(scan: SharedScan, adapter: Adapter, plan: Plan): Promise<number[]> {
  const { rows } = await adapter.query(scanSql(scan, plan).text);
  const row = rows[0] ?? {};
  return scan.members.map((_, index) => Number(row[`t${index}`] ?? 0));
}
