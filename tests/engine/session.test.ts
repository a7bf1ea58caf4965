/**
 * The engine end to end on the fixture projects: what lands in the warehouse (values computed
 * by hand from the seeds), test outcomes, artifacts, selection, incremental models.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import { copyFixture, removeCopies, runIn } from "./fixtureProject.ts";

afterAll(removeCopies);

async function rows(dir: string, sql: string) {
  const adapter = await openDuckDB(join(dir, "target", "warehouse.duckdb"), { readOnly: true });
  try {
    return (await adapter.query(sql)).rows;
  } finally {
    await adapter.close();
  }
}

describe("engine-basic", () => {
  it("builds seeds, a view, an inlined ephemeral model and a table", async () => {
    const dir = await copyFixture("engine-basic");
    const outcome = await runIn(dir);
    expect(outcome.failures).toEqual([]);
    expect(outcome.published).toBe(true);
    expect(outcome.results.map((result) => [result.name, result.status, result.rowsAffected])).toEqual(
      expect.arrayContaining([
        ["orders_seed", "success", 5],
        ["customers_seed", "success", 3],
        ["stg_orders", "success", null],
        ["paid_orders", "success", null],
        ["customer_totals", "success", 3],
      ]),
    );
    // Paid orders of at least min_amount = 10: c1 has o1 12.50 + o2 30.00 = 42.50 (2 orders);
    // c2 has o5 20.00 (o3 8.00 is below 10); c3's only order o4 is refunded: 0.
    expect(await rows(dir, "select * from customer_totals order by customer_id")).toEqual([
      { customer_id: "c1", tier: "gold", paid_orders: 2, paid_amount: 42.5 },
      { customer_id: "c2", tier: "silver", paid_orders: 1, paid_amount: 20 },
      { customer_id: "c3", tier: null, paid_orders: 0, paid_amount: 0 },
    ]);
    // The macro to_cents: 12.50 -> 1250 cents; the seed's declared types hold.
    expect(
      await rows(
        dir,
        "select amount_cents, typeof(amount) as amount_type, typeof(ordered_at) as at_type from stg_orders where order_id = 'o1'",
      ),
    ).toEqual([{ amount_cents: 1250, amount_type: "DECIMAL(18,2)", at_type: "TIMESTAMP" }]);
    // Views and tables live in main; the ephemeral model is nowhere.
    expect(
      await rows(
        dir,
        "select table_name, table_type from information_schema.tables where table_schema = 'main' order by 1",
      ),
    ).toEqual([
      { table_name: "customer_totals", table_type: "BASE TABLE" },
      { table_name: "customers_seed", table_type: "BASE TABLE" },
      { table_name: "orders_seed", table_type: "BASE TABLE" },
      { table_name: "stg_orders", table_type: "VIEW" },
    ]);
  });

  it("applies --var overrides", async () => {
    const dir = await copyFixture("engine-basic");
    await runIn(dir, "run", { vars: { min_amount: "5" } });
    // With min_amount 5, c2's o3 (8.00) counts too: 8.00 + 20.00 = 28.00 over 2 orders.
    expect(
      await rows(dir, "select paid_orders, paid_amount from customer_totals where customer_id = 'c2'"),
    ).toEqual([{ paid_orders: 2, paid_amount: 28 }]);
  });

  it("runs generic and singular tests, and writes the artifacts", async () => {
    const dir = await copyFixture("engine-basic");
    await runIn(dir);
    const outcome = await runIn(dir, "test");
    expect(outcome.failures).toEqual([]);
    // Tests of the product's sources (the fixture has none of its own) are skipped: not loaded.
    const statuses = Object.fromEntries(
      outcome.results
        .filter((result) => result.status !== "skipped")
        .map((result) => [result.name, result.status]),
    );
    expect(statuses).toEqual({
      unique_customer_totals_customer_id: "pass",
      not_null_customer_totals_customer_id: "pass",
      relationships_customer_totals_customer_id: "pass",
      accepted_values_customer_totals_tier: "pass",
      expression_is_true_customer_totals_paid_orders: "pass",
      expression_is_true_customer_totals: "pass",
      assert_paid_amount_matches_orders: "pass",
      unique_customers_seed_customer_id: "pass",
      not_null_customers_seed_customer_id: "pass",
    });

    const manifest = JSON.parse(await readFile(join(dir, "target", "manifest.json"), "utf8"));
    const mart = manifest.nodes["model.engine_basic.customer_totals"];
    expect(mart.original_file_path).toBe("models/marts/customer_totals.sql");
    expect(mart.config.materialized).toBe("table");
    expect(mart.tags).toEqual(["published"]);
    expect(mart.depends_on.nodes.sort()).toEqual([
      "model.engine_basic.paid_orders",
      "seed.engine_basic.customers_seed",
    ]);
    expect(mart.description).toBe("One row per customer with their paid orders of at least min_amount.");
    expect(mart.columns.paid_orders).toEqual({
      name: "paid_orders",
      description: "Paid orders of at least min_amount.",
      data_type: "BIGINT",
    });
    expect(manifest.child_map["model.engine_basic.stg_orders"]).toEqual(["model.engine_basic.paid_orders"]);
    // The YAML beside the seed: its description and its column_types (tier as VARCHAR).
    const seed = manifest.nodes["seed.engine_basic.customers_seed"];
    expect(seed.description).toBe("One row per customer of the small shop.");
    expect(seed.columns.tier).toEqual({
      name: "tier",
      description: "gold, silver or empty.",
      data_type: "VARCHAR",
    });
    const results = JSON.parse(await readFile(join(dir, "target", "run_results.json"), "utf8"));
    expect(results.metadata.invocation).toBe("test");
    const unique = results.results.find(
      (result: { unique_id: string }) =>
        result.unique_id === "test.engine_basic.unique_customer_totals_customer_id",
    );
    expect(unique).toMatchObject({ status: "pass", failures: 0, resource_type: "test" });
  });

  it("builds what a selector names, and says how to fix a missing upstream", async () => {
    const dir = await copyFixture("engine-basic");
    const alone = await runIn(dir, "run", { select: "customer_totals" });
    // Seeds missing from the warehouse come along; stg_orders (a view read through the
    // ephemeral paid_orders) was not selected, so the table cannot build.
    expect(alone.results.map((result) => result.name).sort()).toEqual([
      "customer_totals",
      "customers_seed",
      "orders_seed",
    ]);
    expect(alone.failures).toHaveLength(1);
    expect(alone.failures[0]?.message).toContain("hint: stg_orders is not in the warehouse yet");
    expect(alone.published).toBe(false);

    const withParents = await runIn(dir, "run", { select: "+customer_totals" });
    expect(withParents.failures).toEqual([]);
    expect(withParents.results.map((result) => result.name).sort()).toEqual([
      "customer_totals",
      "customers_seed",
      "orders_seed",
      "paid_orders",
      "stg_orders",
    ]);
  });

  it("leaves the previous warehouse untouched when a model fails", async () => {
    const dir = await copyFixture("engine-basic");
    await runIn(dir);
    const warehouse = join(dir, "target", "warehouse.duckdb");
    const before = await readFile(warehouse);
    await writeFile(
      join(dir, "models", "marts", "customer_totals.sql"),
      "select nope from {{ ref('paid_orders') }}\n",
    );
    const outcome = await runIn(dir);
    expect(outcome.published).toBe(false);
    expect(outcome.failures.map((error) => error.location)).toEqual([
      { file: "models/marts/customer_totals.sql", line: 1, column: 8 },
    ]);
    expect((await readFile(warehouse)).equals(before)).toBe(true);
    await expect(readFile(join(dir, "target", "warehouse.next.duckdb"))).rejects.toThrow("ENOENT");
    expect(await rows(dir, "select count(*) as n from customer_totals")).toEqual([{ n: 3 }]);
  });
});

describe("engine-incremental", () => {
  it("appends new batches and merges on unique_key; --full-refresh rebuilds", async () => {
    const dir = await copyFixture("engine-incremental");
    const first = await runIn(dir, "run", { vars: { batch: "1" } });
    expect(first.failures).toEqual([]);
    // Batch 1: events e1, e2; prices a 1.00, b 2.00, c 3.00.
    expect(await rows(dir, "select event_id from events_appended order by 1")).toEqual([
      { event_id: "e1" },
      { event_id: "e2" },
    ]);
    const second = await runIn(dir, "run", { vars: { batch: "2" } });
    const byName = Object.fromEntries(second.results.map((result) => [result.name, result]));
    // Batch 2 appends e3, e4 (2 rows) and merges b 2.50 (an update) and d 4.00 (an insert).
    expect(byName.events_appended?.message).toBe("rows appended: 2 rows");
    expect(byName.prices_current?.message).toBe("rows merged: 2 rows");
    expect(await rows(dir, "select event_id, batch from events_appended order by 1")).toEqual([
      { event_id: "e1", batch: 1 },
      { event_id: "e2", batch: 1 },
      { event_id: "e3", batch: 2 },
      { event_id: "e4", batch: 2 },
    ]);
    expect(await rows(dir, "select sku, batch, price from prices_current order by 1")).toEqual([
      { sku: "a", batch: 1, price: 1 },
      { sku: "b", batch: 2, price: 2.5 },
      { sku: "c", batch: 1, price: 3 },
      { sku: "d", batch: 2, price: 4 },
    ]);
    // Running batch 2 again appends nothing: the filter is batch > max(batch) = 2.
    const again = await runIn(dir, "run", { vars: { batch: "2" } });
    expect(again.results.find((result) => result.name === "events_appended")?.rowsAffected).toBe(0);
    // A full refresh keeps only what the query returns now: batch = 2 prices (b, d).
    await runIn(dir, "run", { vars: { batch: "2" }, fullRefresh: true });
    expect(await rows(dir, "select sku from prices_current order by 1")).toEqual([
      { sku: "b" },
      { sku: "d" },
    ]);
    expect(await rows(dir, "select count(*) as n from events_appended")).toEqual([{ n: 4 }]);
  });
});

describe("engine-incremental: hooks and definition changes", () => {
  it("runs pre_hook before the insert, and rebuilds in full when the model file changes", async () => {
    const dir = await copyFixture("engine-incremental");
    const totals = () => rows(dir, "select customer, total, payments from customer_payments order by 1");
    await runIn(dir, "run", { vars: { batch: "1" } });
    // Batch 1: ann p1 10, bob p2 20.
    expect(await totals()).toEqual([
      { customer: "ann", total: 10, payments: 1 },
      { customer: "bob", total: 20, payments: 1 },
    ]);
    const second = await runIn(dir, "run", { vars: { batch: "2" } });
    // Batch 2 touches ann (p3 5) and cat (p4 7): the hook deletes ann's row, the body inserts
    // ann 10 + 5 = 15 over 2 payments and cat 7; bob's row is left alone.
    expect(second.results.find((result) => result.name === "customer_payments")?.message).toBe(
      "rows appended: 2 rows",
    );
    const expected = [
      { customer: "ann", total: 15, payments: 2 },
      { customer: "bob", total: 20, payments: 1 },
      { customer: "cat", total: 7, payments: 1 },
    ];
    expect(await totals()).toEqual(expected);
    // Editing the model changes its definition: the next run rebuilds it from scratch.
    const file = join(dir, "models", "customer_payments.sql");
    await writeFile(file, `${await readFile(file, "utf8")}-- edited\n`);
    const edited = await runIn(dir, "run", { vars: { batch: "2" } });
    expect(edited.results.find((result) => result.name === "customer_payments")?.message).toBe(
      "table built: 3 rows",
    );
    expect(edited.logger.lines.join("\n")).toContain("customer_payments: its definition changed");
    expect(await totals()).toEqual(expected);
    // Unchanged again: incremental, and the other incremental models were never rebuilt.
    const again = await runIn(dir, "run", { vars: { batch: "2" } });
    expect(again.results.find((result) => result.name === "customer_payments")?.message).toBe(
      "rows appended: 2 rows",
    );
    expect(again.results.find((result) => result.name === "events_appended")?.message).toBe(
      "rows appended: 0 rows",
    );
  });
});

describe("engine-failing-tests", () => {
  it("fails each broken test, warns for severity warn, shows failing rows and YAML positions", async () => {
    const dir = await copyFixture("engine-failing-tests");
    await runIn(dir);
    const outcome = await runIn(dir, "test");
    const own = outcome.results.filter((result) => result.kind === "test" && result.status !== "skipped");
    const summary = Object.fromEntries(own.map((result) => [result.name, [result.status, result.failures]]));
    expect(summary).toEqual({
      // member_id: m1, m2, m2, null -> m2 twice (1 duplicated value), 1 null.
      unique_members_member_id: ["fail", 1],
      not_null_members_member_id: ["fail", 1],
      // tier: gold, silver, bronze, gold -> bronze only; severity warn.
      accepted_values_members_tier: ["warn", 1],
      // points: 10, 0, 5, -3 -> one negative.
      expression_is_true_members_points: ["fail", 1],
      no_negative_points: ["fail", 1],
      // visits.member_id: m1, m9, m7, null -> m9 and m7 have no member (null is not tested).
      relationships_visits_member_id: ["fail", 2],
      expression_is_true_visits: ["pass", 0],
    });
    const located = outcome.failures.map((error) => `${error.location?.file}:${error.location?.line}`).sort();
    expect(located).toEqual([
      "models/members.yml:10",
      "models/members.yml:11",
      "models/members.yml:22",
      "models/members.yml:31",
      "tests/no_negative_points.sql:1",
    ]);
    const relationships = outcome.failures.find((error) => error.location?.line === 31);
    expect(relationships?.message).toContain("2 failing rows in test relationships_visits_member_id");
    expect(relationships?.message).toMatch(/from_field\n-+\nm[79]\nm[79]\n\(2 rows\)/);
    expect(outcome.logger.warnings.join("\n")).toContain(
      "models/members.yml:24:15: column 'nickname' is documented for model members, which has no such column",
    );
  });
});

describe("engine-sources", () => {
  it("loads the sources through the ingest layer, reads them with source(), tests them", async () => {
    const dir = await copyFixture("engine-sources");
    const outcome = await runIn(dir, "build", {
      steps: { sources: true, seeds: true, models: true, tests: true },
      dataDir: join(dir, "data"),
    });
    expect(outcome.failures).toEqual([]);
    expect(outcome.published).toBe(true);
    const loaded = outcome.results.filter((result) => result.kind === "source");
    expect(loaded.map((result) => [result.name, result.rowsAffected])).toEqual(
      expect.arrayContaining([
        ["customers", 2],
        ["orders", 3],
      ]),
    );
    const tests = outcome.results.filter((result) => result.kind === "test");
    expect(tests.map((result) => [result.name, result.status]).sort()).toEqual([
      ["accepted_values_orders_status", "pass"],
      ["not_null_customers_customer_id", "pass"],
      ["not_null_orders_order_id", "pass"],
      ["unique_customers_customer_id", "pass"],
      ["unique_orders_order_id", "pass"],
    ]);
    // Paid orders: c1 has o1 100.00 + o2 50.00; c2's only order is refunded, so c2 is absent.
    expect(await rows(dir, "select * from paid_by_customer")).toEqual([
      { customer_id: "c1", paid_orders: 2, paid_amount: 150 },
    ]);
  });
});
