/**
 * Building one node on one connection: a model's statements, a seed's load, a data test's
 * query. Database errors become located HuitouErrors here (model file and line); everything
 * else about a run (order, parallelism, results) is the session's.
 */

import type { HuitouError } from "../errors.ts";
import type { Adapter, QueryResult } from "./adapters/adapter.ts";
import { withEphemerals } from "./ephemeral.ts";
import { formatTable } from "./format.ts";
import { concat, generated, type MappedSql } from "./lineMap.ts";
import { materialize, strategyOf } from "./materialize.ts";
import type { OneAtATime } from "./oneAtATime.ts";
import { loadSeed } from "./seeds.ts";
import { sqlError } from "./sqlError.ts";
import type { ModelNode, Plan, SeedNode, TestNode } from "./types.ts";

/** How many failing rows a test shows. */
export const SHOWN_FAILURES = 5;

export interface NodeOutcome {
  rows: number | null;
  message: string;
}

/** The SQL a model or test actually runs: its own, with the ephemeral models it reads inlined. */
export function executableSql(node: ModelNode | TestNode, plan: Plan): MappedSql {
  return withEphemerals(node.sql, node.dependsOn, plan.nodes);
}

/**
 * Materializes `model`; `existing` is the kind of relation already under its name. Its
 * pre_hooks run through `hooks`, one model's at a time: they create the scratch tables that
 * models share (macros/customers_to_refresh.sql, before_images.sql), and DuckDB fails one of
 * two transactions that create the same table at once.
 */
export async function runModel(
  model: ModelNode,
  adapter: Adapter,
  plan: Plan,
  existing: "table" | "view" | undefined,
  hint: (message: string) => string | undefined,
  hooks: OneAtATime = (task) => task(),
): Promise<NodeOutcome> {
  const strategy = strategyOf(model);
  if (strategy === "none") return { rows: null, message: "ephemeral: inlined where it is read" };
  let rows: number | null = null;
  const hook = (sql: MappedSql) => ({ sql, counts: false });
  const run = async (statements: { sql: MappedSql; counts: boolean }[]) => {
    for (const statement of statements.filter((each) => each.sql.text.trim() !== "")) {
      let result: QueryResult;
      try {
        result = await adapter.query(statement.sql.text);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw sqlError(error, statement.sql, plan.sources, { file: model.file }, hint(message));
      }
      if (statement.counts) rows = Number(result.rows[0]?.Count ?? 0);
    }
  };
  await hooks(() => run(model.hooks.pre.map(hook)));
  await run([...materialize(model, executableSql(model, plan), existing), ...model.hooks.post.map(hook)]);
  const verb = { view: "view created", table: "table built", append: "rows appended", merge: "rows merged" }[
    strategy
  ];
  return { rows, message: rows === null ? verb : `${verb}: ${rows} rows` };
}

export async function runSeed(
  seed: SeedNode,
  adapter: Adapter,
  readText: (path: string) => Promise<string>,
): Promise<NodeOutcome> {
  const rows = await loadSeed(adapter, seed, readText);
  return { rows, message: `seed loaded: ${rows} rows` };
}

export interface TestOutcome {
  failures: number;
  /** The first failing rows, as a printable table ("" when none). */
  shown: string;
}

/**
 * Runs a data test: counts its failing rows and keeps the first few to show. `narrowed` is the
 * test's variant over written rows when it runs that instead (testScope.ts).
 */
export async function runTest(
  test: TestNode,
  adapter: Adapter,
  plan: Plan,
  narrowed?: MappedSql,
): Promise<TestOutcome> {
  const sql = narrowed ? withEphemerals(narrowed, test.dependsOn, plan.nodes) : executableSql(test, plan);
  const run = async (wrapped: MappedSql): Promise<QueryResult> => {
    try {
      return await adapter.query(wrapped.text);
    } catch (error) {
      throw sqlError(error, wrapped, plan.sources, test.location) as HuitouError;
    }
  };
  // Count first: a bare count reads only the columns the test's filter names, where `select *`
  // with the rows to show reads every column; most tests pass, and then that is all it costs.
  const counted = await run(concat(generated("select count(*) as n from ("), sql, generated(")")));
  if (Number(counted.rows[0]?.n ?? 0) === 0) return { failures: 0, shown: "" };
  const result = await run(
    concat(
      generated("select *, count(*) over () as __huitou_failures from ("),
      sql,
      generated(`) limit ${SHOWN_FAILURES}`),
    ),
  );
  const failures = Number(result.rows[0]?.__huitou_failures ?? 0);
  if (failures === 0) return { failures, shown: "" };
  const columns = result.columns.filter((column) => column.name !== "__huitou_failures");
  return { failures, shown: formatTable({ columns, rows: result.rows }) };
}
