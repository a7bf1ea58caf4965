/**
 * The `huitou` command as a user runs it: a child process (Node 24, as vitest), its output and
 * its exit code (0 success, 1 a failed run or test, 2 bad usage or configuration).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFixture, removeCopies } from "../engine/fixtureProject.ts";

afterAll(removeCopies);

const MAIN = join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");

function huitou(args: string[]) {
  const child = spawnSync(process.execPath, [MAIN, ...args], {
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC", NO_COLOR: "1" },
  });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe("huitou run, test, query", () => {
  let basic: string;
  beforeAll(async () => {
    basic = await copyFixture("engine-basic");
  });

  it("run builds and exits 0; test passes and exits 0", () => {
    const run = huitou(["run", "--project", basic]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("ok     model  customer_totals  table built: 3 rows");
    expect(run.stdout).toMatch(/Done in [\d.]+s: 5 built; warehouse updated: target\/warehouse.duckdb/);
    const test = huitou(["test", "--project", basic, "--select", "customer_totals"]);
    expect(test.code).toBe(0);
    expect(test.stdout).toMatch(/Done in [\d.]+s: 7 tests passed\n$/);
  });

  it("query prints json exactly as the contract says", () => {
    expect(huitou(["query", "select 1 as x", "--format", "json", "--project", basic]).stdout).toBe(
      '[{"x":1}]\n',
    );
    const sql = `select date '2024-01-31' as d, timestamp '2024-01-31 13:45:10.5' as ts,
      date_trunc('month', date '2024-03-15')::date as month, 12.50::decimal(18,2) as money,
      9007199254740::bigint as big, 0.375::double as rate, true as flag, null as nothing, 'c1' as id`;
    const out = huitou(["query", sql, "--format", "json", "--project", basic]);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(
      '[{"d":"2024-01-31","ts":"2024-01-31 13:45:10","month":"2024-03-01","money":12.5,"big":9007199254740,"rate":0.375,"flag":true,"nothing":null,"id":"c1"}]\n',
    );
  });

  it("query reads marts by bare name, as csv", () => {
    const out = huitou([
      "query",
      "select customer_id, paid_amount from customer_totals order by 1",
      "--format",
      "csv",
      "--project",
      basic,
    ]);
    expect(out.stdout).toBe("customer_id,paid_amount\nc1,42.5\nc2,20\nc3,0\n");
  });

  it("query is read-only and reports SQL errors with exit 1", () => {
    const write = huitou(["query", "create table t as select 1", "--project", basic]);
    expect(write.code).toBe(1);
    expect(write.stderr).toContain("read-only");
    const typo = huitou(["query", "select nope from customer_totals", "--project", basic]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(
      /^error\[sql\] <query>:1:8: Binder Error: Referenced column "nope" not found/,
    );
  });
});

describe("exit codes", () => {
  it("1 for a SQL error, naming the model file and line", async () => {
    const out = huitou(["run", "--project", await copyFixture("engine-sql-error")]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^error\[sql\] models\/broken_sum.sql:7:17: Binder Error/);
  });

  it("1 for a failing error-severity data test", async () => {
    const dir = await copyFixture("engine-failing-tests");
    expect(huitou(["run", "--project", dir]).code).toBe(0);
    const out = huitou(["test", "--project", dir]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      "error[test-failed] models/members.yml:10:13: 1 failing row in test unique_members_member_id",
    );
  });

  it("1 for a cycle or a missing ref, 2 for a bad project file", async () => {
    const dag = huitou(["run", "--project", await copyFixture("engine-broken-dag")]);
    expect(dag.code).toBe(1);
    expect(dag.stderr.match(/^error\[(missing-ref|cycle)\]/gm)).toHaveLength(4);
    const config = huitou(["run", "--project", await copyFixture("engine-bad-config")]);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain("error[config] huitou_project.yml:6:22: materialized must be one of");
  });

  it("2 for bad usage, a missing warehouse, or a build without data off a terminal", async () => {
    expect(huitou(["run", "--colour"]).code).toBe(2);
    const empty = await copyFixture("engine-basic");
    const query = huitou(["query", "select 1", "--project", empty]);
    expect(query.code).toBe(2);
    expect(query.stderr).toContain("no warehouse at target/warehouse.duckdb");
    const build = huitou(["build", "--project", empty]);
    expect(build.code).toBe(2);
    expect(build.stderr).toContain("no data sources configured");
    expect(huitou(["build", "--data", "x", "--demo", "--project", empty]).code).toBe(2);
    expect(huitou(["build", "--as-of", "2024-02-30", "--project", empty]).stderr).toContain(
      "--as-of expects a date as YYYY-MM-DD",
    );
  });

  it("--help on every engine command exits 0", () => {
    for (const name of ["run", "test", "query", "export", "build"]) {
      const out = huitou([name, "--help"]);
      expect(out.code).toBe(0);
      expect(out.stdout).toMatch(new RegExp(`^huitou ${name} .*--project DIR`));
    }
  });
});
