/**
 * The tests of a source table the ingest loaded incrementally check the rows this load wrote
 * (fixture engine-source-tests: orders dropped one file a day, append mode; a customers export
 * that never changes, so the ingest keeps it), once the same test passed over the whole table:
 * a merge's rows carry this load's `_loaded_at`, a kept table wrote none. A bad row planted by
 * hand in the kept part is not seen; a bad row in a new file is.
 */
import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import type { NodeResult } from "../../src/engine/results.ts";
import { copyFixture, removeCopies, runIn } from "./fixtureProject.ts";

afterAll(removeCopies);

const build = (dir: string, extra = {}) =>
  runIn(dir, "build", {
    steps: { sources: true, seeds: true, models: true, tests: true },
    dataDir: join(dir, "data"),
    ...extra,
  });

/** Drops the day's orders file into the data folder, as the shop's export would. */
const drop = (dir: string, day: string) =>
  copyFile(join(dir, "later", `${day}.csv`), join(dir, "data", "orders", `${day}.csv`));

/** Test name → [status, failures, message's first line], for the sources' tests. */
function tests(results: readonly NodeResult[]) {
  return Object.fromEntries(
    results
      .filter((result) => result.kind === "test")
      .map((result) => [result.name, [result.status, result.failures, result.message.split("\n")[0]]]),
  );
}

async function sql(dir: string, text: string) {
  const adapter = await openDuckDB(join(dir, "target", "warehouse.duckdb"));
  try {
    return (await adapter.query(text)).rows;
  } finally {
    await adapter.close();
  }
}

describe("tests of sources loaded incrementally", () => {
  it("check the rows the load wrote, and none of a kept table", async () => {
    const dir = await copyFixture("engine-source-tests");
    // The first load reads everything: every test checks the whole table.
    const first = await build(dir);
    expect(first.failures).toEqual([]);
    const whole = ["pass", 0, "pass"];
    expect(tests(first.results)).toMatchObject({
      unique_customers_customer_id: whole,
      not_null_customers_customer_id: whole,
      unique_orders_order_id: whole,
      not_null_orders_order_id: whole,
      accepted_values_orders_status: whole,
      expression_is_true_orders_paid_amount: whole,
    });
    // Day 2 brings o4 and o5: 2 rows merged; customers.csv is unchanged: kept, 0 rows written.
    await drop(dir, "2024-06-02");
    const second = await build(dir);
    expect(second.failures).toEqual([]);
    expect(tests(second.results)).toMatchObject({
      unique_customers_customer_id: ["pass", 0, "pass (written rows: 0)"],
      not_null_customers_customer_id: ["pass", 0, "pass (written rows: 0)"],
      unique_orders_order_id: ["pass", 0, "pass (written rows: 2)"],
      not_null_orders_order_id: ["pass", 0, "pass (written rows: 2)"],
      accepted_values_orders_status: ["pass", 0, "pass (written rows: 2)"],
      expression_is_true_orders_paid_amount: ["pass", 0, "pass (written rows: 2)"],
    });
    // The views of the written rows served the tests only.
    expect(
      await sql(dir, "select count(*) as n from duckdb_schemas() where schema_name = 'huitou_scratch'"),
    ).toEqual([{ n: 0 }]);
    // Plant a status no test accepts in a kept row (o1, day 1) behind huitou's back; day 3
    // brings o6, paid 5000: not < 1000.
    await sql(dir, "update raw.orders set status = 'lost' where order_id = 'o1'");
    await drop(dir, "2024-06-03");
    const third = await build(dir);
    expect(third.published).toBe(false);
    const results = tests(third.results);
    // The new row is checked: 1 failing row among the 1 written.
    expect(results.expression_is_true_orders_paid_amount?.slice(0, 2)).toEqual(["fail", 1]);
    expect(results.expression_is_true_orders_paid_amount?.[2]).toContain(
      "1 failing row in test expression_is_true_orders_paid_amount (checked the 1 row this run wrote)",
    );
    // The kept part is not read: o1's 'lost' is not seen.
    expect(results.accepted_values_orders_status).toEqual(["pass", 0, "pass (written rows: 1)"]);
    // The same load with --full-refresh reloads every file: the tests check everything (o1 is
    // paid again, from its file; o6 still fails).
    const full = await build(dir, { fullRefresh: true });
    const reloaded = tests(full.results);
    expect(reloaded.accepted_values_orders_status).toEqual(whole);
    expect(reloaded.expression_is_true_orders_paid_amount?.slice(0, 2)).toEqual(["fail", 1]);
    expect(reloaded.expression_is_true_orders_paid_amount?.[2]).not.toContain("written");
  });
});
