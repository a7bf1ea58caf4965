/**
 * Row-local tests of one relation share one scan (fixture engine-shared-scan: a table `members`
 * of five rows and a view over it). What each test reports after the shared scan, status,
 * failing-row count, message with the failing rows, location, is what the same test reports
 * when it runs alone (`huitou test --select <test>`, which gives a scan of one test, run the
 * old single way): the independent method. The rows and expectations, by hand:
 *
 *   member_id  tier    points  region
 *   m1         gold    10      a
 *   m2         silver  null    b
 *   m3         bronze  -5      null
 *   m4         gold    3       c
 *   m5         silver  7       d
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Adapter } from "../../src/engine/adapters/adapter.ts";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import type { NodeResult } from "../../src/engine/results.ts";
import { scanSql } from "../../src/engine/sharedScan.ts";
import type { Open } from "../../src/engine/warehouse.ts";
import { copyFixture, removeCopies, runIn } from "./fixtureProject.ts";

afterAll(removeCopies);

/** An `Open` that records every query text run through the adapter and its connections. */
function recording(queries: string[]): Open {
  const wrap = (adapter: Adapter): Adapter =>
    new Proxy(adapter, {
      get(target, key) {
        if (key === "query")
          return (sql: string, params?: Parameters<Adapter["query"]>[1]) => {
            queries.push(sql);
            return target.query(sql, params);
          };
        if (key === "connect" && target.connect)
          return async () => wrap(await (target.connect as () => Promise<Adapter>)());
        const value = Reflect.get(target, key);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  return async (path, options) => wrap(await openDuckDB(path, options));
}

/** What a test reports, without its timing. */
const report = (result: NodeResult | undefined) => ({
  status: result?.status,
  failures: result?.failures,
  message: result?.message,
  location: result?.error?.location,
});

describe("row-local tests in one shared scan", () => {
  it("report exactly what each test reports alone", async () => {
    const dir = await copyFixture("engine-shared-scan");
    await runIn(dir, "run");
    const queries: string[] = [];
    const outcome = await runIn(dir, "test", { open: recording(queries) });
    // (The contract's source tests are planned too, and skipped: the fixture loads no sources.)
    const tests = outcome.results.filter((result) => result.kind === "test" && result.status !== "skipped");
    expect(
      Object.fromEntries(tests.map((result) => [result.name, [result.status, result.failures]])),
    ).toEqual({
      not_null_members_member_id: ["pass", 0],
      // gold, silver, bronze, gold, silver: all accepted.
      accepted_values_members_tier: ["pass", 0],
      // m2's points are null: 1 row.
      not_null_members_points: ["fail", 1],
      // where tier = 'gold' keeps m1 (10) and m4 (3), both >= 0; m3's -5 is not looked at.
      accepted_range_members_points: ["pass", 0],
      // -5 >= 0 is false for m3 (m2's null is unknown, not false): 1 row, severity warn.
      expression_is_true_members_points: ["warn", 1],
      // where points > 0 keeps m1, m4, m5, whose regions a, c, d are set; m3's null is left out.
      not_null_members_region: ["pass", 0],
      // where tier = 'silver' and points > 5 keeps m5 only (m2's points are null): d, 1 value.
      accepted_values_members_region: ["fail", 1],
      // The view: no null id; bronze (m3) is not gold or silver; -5..10 all within -10..10.
      not_null_members_view_member_id: ["pass", 0],
      accepted_values_members_view_tier: ["fail", 1],
      accepted_range_members_view_points: ["pass", 0],
      // No such column: the scan of the view fails, its four tests run alone, this one errors.
      expression_is_true_members_view_points: ["error", null],
    });
    for (const result of tests) {
      const alone = await runIn(dir, "test", { select: result.name });
      const own = alone.results.filter((one) => one.kind === "test" && one.status !== "skipped");
      expect(own.map((one) => one.name)).toEqual([result.name]);
      expect(report(result)).toEqual(report(own[0]));
    }
    // The failing rows as the single test shows them.
    const byName = new Map(tests.map((result) => [result.name, result]));
    expect(byName.get("not_null_members_points")?.message).toMatch(
      /^1 failing row in test not_null_members_points;[^\n]*\n.*member_id.*\n-+.*\nm2 +\| silver/,
    );
    expect(byName.get("accepted_values_members_region")?.message).toMatch(
      /value_field \| n_records\n-+\+-+\nd +\| +1\n/,
    );
    const error = byName.get("expression_is_true_members_view_points")?.error;
    expect(error?.location?.file).toBe("models/members.yml");
    expect(error?.location?.line).toBe(56);
    expect(error?.message).toContain('Referenced column "no_such_column" not found');
    expect(outcome.logger.warnings.join("\n")).toContain(
      "warning: models/members.yml:24: 1 failing row in test expression_is_true_members_points",
    );
    // One scan a relation; alone ran only the 3 tests the table's scan found rows for and the
    // view's 4 tests after its scan failed (a count first, then the rows to show when failing).
    const scans = queries.filter((sql) => sql.startsWith("select\ncount(*) filter"));
    expect(scans.map((sql) => sql.slice(sql.lastIndexOf("\nfrom ") + 6))).toEqual(
      expect.arrayContaining(['"main"."members"', '"main"."members_view"']),
    );
    expect(scans).toHaveLength(2);
    expect(queries.filter((sql) => sql.startsWith("select count(*) as n from ("))).toHaveLength(7);
    expect(Object.fromEntries(tests.map((result) => [result.name, result.sharedScan]))).toMatchObject({
      not_null_members_member_id: 7,
      accepted_values_members_region: 7,
      not_null_members_view_member_id: 4,
    });
  });

  it("writes each test's where and condition on lines of their own", async () => {
    const dir = await copyFixture("engine-shared-scan");
    const { plan } = await runIn(dir, "run");
    const test = (name: string) => {
      const node = [...plan.nodes.values()].find((one) => one.name === name);
      if (node?.kind !== "test") throw new Error(`no test ${name}`);
      return { test: node, narrowed: undefined };
    };
    const sql = scanSql(
      {
        relation: '"main"."members"',
        members: [test("not_null_members_points"), test("accepted_range_members_points")],
      },
      plan,
    );
    expect(sql.text).toBe(
      [
        "select",
        'count(*) filter (where (\n"points" is null\n)) as "t0",',
        'count(*) filter (where (\ntier = \'gold\'\n) and (\nnot ("points" >= 0)\n)) as "t1"',
        'from "main"."members"',
      ].join("\n"),
    );
  });
});
