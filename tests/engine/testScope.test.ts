/**
 * Data tests of an incremental run check the rows the run wrote (fixture
 * engine-incremental-tests, batches of orders in tests/fixtures/.../seeds/orders_seed.csv):
 * violations and duplicates among the written rows are caught, the narrowed test really reads
 * only the batch (a bad row planted by hand in the kept part is not seen, until the test is
 * edited or set to `scope: all`), a new test and a full refresh check everything, and the
 * scratch schema never reaches the published warehouse.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import type { NodeResult } from "../../src/engine/results.ts";
import { copyFixture, removeCopies, runIn } from "./fixtureProject.ts";

afterAll(removeCopies);

const FIXTURE = "engine-incremental-tests";

async function query(dir: string, sql: string) {
  const adapter = await openDuckDB(join(dir, "target", "warehouse.duckdb"), { readOnly: true });
  try {
    return (await adapter.query(sql)).rows;
  } finally {
    await adapter.close();
  }
}

/** Changes the published warehouse by hand, as nothing in huitou would. */
async function tamper(dir: string, sql: string) {
  const adapter = await openDuckDB(join(dir, "target", "warehouse.duckdb"));
  try {
    await adapter.execute(sql);
  } finally {
    await adapter.close();
  }
}

/**
 * Test name → [status, failures, message's first line], for the tests of the fixture's models
 * (the project has no sources/: the contract's source tests are planned and skipped, unloaded).
 */
function tests(results: readonly NodeResult[]) {
  return Object.fromEntries(
    results
      .filter((result) => result.kind === "test" && /orders_appended|customers_merged/.test(result.name))
      .map((result) => [result.name, [result.status, result.failures, result.message.split("\n")[0]]]),
  );
}

const build = (dir: string, batch: number, extra = {}) =>
  runIn(dir, "build", { vars: { batch: String(batch) }, ...extra });

const yamlFile = (dir: string) => join(dir, "models", "orders_appended.yml");

async function editYaml(dir: string, from: string, to: string) {
  const text = await readFile(yamlFile(dir), "utf8");
  if (!text.includes(from)) throw new Error(`fixture YAML lacks ${from}`);
  await writeFile(yamlFile(dir), text.replace(from, to));
}

describe("tests after an incremental build", () => {
  it("check the written rows once the same test passed over the whole table", async () => {
    const dir = await copyFixture(FIXTURE);
    const first = await build(dir, 1);
    expect(first.failures).toEqual([]);
    // The first run builds tables: every test checks everything.
    for (const [status, failures, message] of Object.values(tests(first.results))) {
      expect([status, failures, message]).toEqual(["pass", 0, "pass"]);
    }
    const second = await build(dir, 2);
    expect(second.failures).toEqual([]);
    // Batch 2 appends o3 (ann) and o4 (cat): 2 rows; customers_merged merges ann and cat: 2.
    // The parent merges on customer itself, so no parent key can go: relationships narrows too.
    expect(tests(second.results)).toEqual({
      unique_orders_appended_order_id: ["pass", 0, "pass (written rows: 2)"],
      not_null_orders_appended_order_id: ["pass", 0, "pass (written rows: 2)"],
      not_null_orders_appended_customer: ["pass", 0, "pass (written rows: 2)"],
      relationships_orders_appended_customer: ["pass", 0, "pass (written rows: 2)"],
      expression_is_true_orders_appended_amount: ["pass", 0, "pass (written rows: 2)"],
      unique_customers_merged_customer: ["pass", 0, "pass (written rows: 2)"],
    });
    const artifact = JSON.parse(await readFile(join(dir, "target", "run_results.json"), "utf8"));
    const entry = artifact.results.find(
      (result: { unique_id: string }) =>
        result.unique_id === "test.engine_incremental_tests.not_null_orders_appended_customer",
    );
    expect(entry.message).toBe("pass (written rows: 2)");
    // Its three row-local tests (not_null order_id and customer, amount >= 0) read the batch in
    // one scan; each line shows its third of that scan's time and says so.
    expect(second.logger.lines).toContain(
      "pass   test   not_null_orders_appended_customer  pass (written rows: 2)" +
        ` (${second.results.find((result) => result.name === "not_null_orders_appended_customer")?.executionTime.toFixed(2)}s, 1/3 of a shared scan)`,
    );
    // (6) The batches were kept in huitou_scratch for the tests only: the published file has no
    // such schema; the test records are there, one per test of the two incremental models.
    expect(
      await query(dir, "select count(*) as n from duckdb_schemas() where schema_name = 'huitou_scratch'"),
    ).toEqual([{ n: 0 }]);
    expect(await query(dir, "select count(*) as n from huitou_meta.test_state")).toEqual([{ n: 6 }]);
  });

  it("catch a violation and a duplicate key among the written rows", async () => {
    const dir = await copyFixture(FIXTURE);
    await build(dir, 1);
    await build(dir, 2);
    // (1) Batch 3 is o5 with no customer and amount -3: both tests fail on that one row.
    const third = await build(dir, 3);
    expect(third.published).toBe(false);
    const results = tests(third.results);
    expect(results.not_null_orders_appended_customer?.slice(0, 2)).toEqual(["fail", 1]);
    expect(results.expression_is_true_orders_appended_amount?.slice(0, 2)).toEqual(["fail", 1]);
    expect(results.expression_is_true_orders_appended_amount?.[2]).toContain(
      "1 failing row in test expression_is_true_orders_appended_amount (checked the 1 row this run wrote)",
    );
    expect(results.unique_orders_appended_order_id).toEqual(["pass", 0, "pass (written rows: 1)"]);
    // (2) Batch 4 is o2 again (eve), on top of the published batches 1-2 (batch 3 was not
    // published): o2 is written once and kept once, 2 records, 1 duplicated key.
    const fourth = await build(dir, 4);
    expect(fourth.published).toBe(false);
    const unique = fourth.results.find((result) => result.name === "unique_orders_appended_order_id");
    expect([unique?.status, unique?.failures]).toEqual(["fail", 1]);
    expect(unique?.message).toContain("(checked the 1 row this run wrote)");
    expect(unique?.message).toMatch(/o2\s*\|\s*2/);
  });

  it("read only the batch: a bad kept row is seen when the test is edited, new or scope: all", async () => {
    const dir = await copyFixture(FIXTURE);
    await build(dir, 1);
    await build(dir, 2);
    // Plant a negative amount in a kept row (o1, batch 1) behind huitou's back.
    await tamper(dir, "update orders_appended set amount = -100 where order_id = 'o1'");
    // (3) Batch 5 (o6, fay, 1) is clean: the narrowed test reads the 1 written row and passes,
    // although the table now holds o1 at -100.
    const fifth = await build(dir, 5);
    expect(fifth.failures).toEqual([]);
    expect(tests(fifth.results).expression_is_true_orders_appended_amount).toEqual([
      "pass",
      0,
      "pass (written rows: 1)",
    ]);
    expect(await query(dir, "select amount from orders_appended where order_id = 'o1'")).toEqual([
      { amount: -100 },
    ]);
    // scope: all checks the whole table: o1 fails (1 row), even though its SQL is unchanged.
    const original = await readFile(yamlFile(dir), "utf8");
    await editYaml(dir, 'expression: ">= 0"', 'expression: ">= 0"\n              config: {scope: all}');
    const all = await build(dir, 6);
    expect(all.published).toBe(false);
    const scoped = tests(all.results).expression_is_true_orders_appended_amount;
    expect(scoped?.slice(0, 2)).toEqual(["fail", 1]);
    expect(scoped?.[2]).not.toContain("written");
    // An edited test is a new definition: it checks everything once, and finds o1.
    await writeFile(yamlFile(dir), original);
    await editYaml(dir, 'expression: ">= 0"', 'expression: "> -1"');
    const edited = await build(dir, 6);
    expect(tests(edited.results).expression_is_true_orders_appended_amount?.slice(0, 2)).toEqual(["fail", 1]);
    // (4) A test added to the model checks everything on its first run: -100 < -50 for o1.
    await writeFile(yamlFile(dir), original);
    await editYaml(
      dir,
      "        description: Paid amount.\n        data_tests:\n",
      "        description: Paid amount.\n        data_tests:\n          - accepted_range:\n              min_value: -50\n",
    );
    const added = await build(dir, 6);
    expect(tests(added.results).accepted_range_orders_appended_amount?.slice(0, 2)).toEqual(["fail", 1]);
    // The unchanged test still reads the batch (o7, gus, 2): it passes.
    expect(tests(added.results).expression_is_true_orders_appended_amount).toEqual([
      "pass",
      0,
      "pass (written rows: 1)",
    ]);
  });

  it("check everything after a full refresh, and after a run that skipped the tests", async () => {
    const dir = await copyFixture(FIXTURE);
    await build(dir, 1);
    await build(dir, 2);
    // (5) --full-refresh rebuilds the tables: no test narrows.
    const full = await build(dir, 2, { fullRefresh: true });
    expect(full.failures).toEqual([]);
    for (const [name, [status, , message]] of Object.entries(tests(full.results))) {
      expect([name, status, message]).toEqual([name, "pass", "pass"]);
    }
    // A `huitou run` adds batch 5 untested; plant a bad kept row; the next build cannot trust
    // the old records for the rebuilt models and checks everything: o1 is found.
    const run = await runIn(dir, "run", { vars: { batch: "5" } });
    expect(run.published).toBe(true);
    await tamper(dir, "update orders_appended set amount = -100 where order_id = 'o1'");
    const after = await build(dir, 6);
    const expression = tests(after.results).expression_is_true_orders_appended_amount;
    expect(expression?.slice(0, 2)).toEqual(["fail", 1]);
    expect(expression?.[2]).not.toContain("written");
  });

  it("check relationships in full when the parent may have lost keys", async () => {
    const dir = await copyFixture(FIXTURE);
    // The parent drops bob in every incremental run (a pre_hook, like the project's per-customer
    // rebuilds): the kept child row o2 (bob, batch 1) loses its parent without being written.
    const parent = join(dir, "models", "customers_merged.sql");
    await writeFile(
      parent,
      (await readFile(parent, "utf8")).replace(
        "{{ config(unique_key='customer') }}",
        `{{ config(unique_key='customer', pre_hook="{% if is_incremental() %}delete from {{ this }} where customer = 'bob'{% endif %}") }}`,
      ),
    );
    await build(dir, 1);
    const second = await build(dir, 2);
    const results = tests(second.results);
    // Checked in full: o2's customer bob is gone from customers_merged, 1 failing row.
    expect(results.relationships_orders_appended_customer?.slice(0, 2)).toEqual(["fail", 1]);
    expect(results.relationships_orders_appended_customer?.[2]).not.toContain("written");
    // The row-local tests of the child still read the 2 written rows.
    expect(results.not_null_orders_appended_customer).toEqual(["pass", 0, "pass (written rows: 2)"]);
  });

  it("narrow a test with a row-local where, not one whose where reads other rows", async () => {
    const dir = await copyFixture(FIXTURE);
    await editYaml(
      dir,
      "        description: The batch that brought the order.\n",
      `        description: The batch that brought the order.
        data_tests:
          - accepted_range:
              min_value: 1
              config: {where: "amount > 0"}
          - not_null:
              config: {where: "amount > (select min(amount) from main.orders_appended)"}
`,
    );
    await build(dir, 1);
    const second = await build(dir, 2);
    const results = tests(second.results);
    // amount > 0 is a condition on the row: the batch's 2 rows (o3 5, o4 7) are checked.
    expect(results.accepted_range_orders_appended_batch).toEqual(["pass", 0, "pass (written rows: 2)"]);
    // A where with a subquery can let a kept row in or out as other rows change: whole table.
    expect(results.not_null_orders_appended_batch).toEqual(["pass", 0, "pass"]);
  });
});
