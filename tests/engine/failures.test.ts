/**
 * Failing fixture projects: each problem is reported with its file, line and column, all of
 * them at once, and the error is a run error (exit 1) or, for configuration, a usage error
 * (exit 2). Messages are part of the interface, so they are compared in full.
 */
import { afterAll, describe, expect, it } from "vitest";
import { copyFixture, removeCopies, runIn, thrown } from "./fixtureProject.ts";

afterAll(removeCopies);

describe("failing projects", () => {
  it("reports every missing ref and every cycle together", async () => {
    const dir = await copyFixture("engine-broken-dag");
    expect(await thrown(() => runIn(dir))).toEqual([
      {
        name: "missing-ref",
        file: "models/orphan.sql",
        line: 3,
        column: 9,
        message:
          "ref('stg_orderz') names no model or seed; check the spelling or add models/.../stg_orderz.sql",
      },
      {
        name: "missing-ref",
        file: "models/orphan.sql",
        line: 4,
        column: 9,
        message:
          "ref('customerz') names no model or seed; check the spelling or add models/.../customerz.sql",
      },
      {
        name: "cycle",
        file: "models/a.sql",
        line: 1,
        column: 18,
        message:
          "models depend on each other in a cycle: models/a.sql -> models/b.sql -> models/a.sql; break it by moving shared logic into a model both can ref",
      },
      {
        name: "cycle",
        file: "models/c.sql",
        line: 1,
        column: 18,
        message:
          "models depend on each other in a cycle: models/c.sql -> models/d.sql -> models/e.sql -> models/c.sql; break it by moving shared logic into a model both can ref",
      },
    ]);
  });

  it("reports a SQL error on line 7 of the model, not of the generated statement", async () => {
    const dir = await copyFixture("engine-sql-error");
    const outcome = await runIn(dir);
    expect(outcome.published).toBe(false);
    const [error] = outcome.failures;
    expect(outcome.failures).toHaveLength(1);
    // Line 7 is `where n > 0 and tripeld > 3`; `tripeld` starts at column 17.
    expect(error?.location).toEqual({ file: "models/broken_sum.sql", line: 7, column: 17 });
    expect(error?.message).toBe(
      'Binder Error: Referenced column "tripeld" not found in FROM clause!\nCandidate bindings: "doubled"',
    );
    expect(error?.frame).toContain("> 7 | where n > 0 and tripeld > 3");
    // The model before it built; the previous (absent) warehouse was not replaced.
    expect(outcome.results.map((result) => [result.name, result.status])).toEqual([
      ["base_numbers", "success"],
      ["broken_sum", "error"],
    ]);
  });

  it("names the seed file, line and column of a value that does not fit its type", async () => {
    const dir = await copyFixture("engine-bad-seed");
    const outcome = await runIn(dir);
    // Line 4 is `a3,Pot,twelve`: `twelve` starts after `a3,Pot,` (7 characters): column 8.
    expect(outcome.failures.map((error) => [error.name, error.location, error.message])).toEqual([
      [
        "seed",
        { file: "seeds/prices.csv", line: 4, column: 8 },
        "value 'twelve' in column 'price' is not a valid decimal(18,2); fix the value or the seed's column_types",
      ],
    ]);
  });

  it("reports template errors of several models at once", async () => {
    const dir = await copyFixture("engine-template-error");
    const errors = await thrown(() => runIn(dir));
    expect(errors.map(({ name, file, line, column }) => ({ name, file, line, column }))).toEqual([
      // `{% endfi %}`: nunjucks points at the tag name, column 4 of line 4.
      { name: "template", file: "models/bad_syntax.sql", line: 4, column: 4 },
      // `{{ var('discount_rate') }}` on line 3; `var(` at column 8.
      { name: "template", file: "models/uses_var.sql", line: 3, column: 8 },
    ]);
    expect(errors[1]?.message).toContain("var('discount_rate') is not defined");
  });

  it("rejects a bad project file as a usage error at its position", async () => {
    const dir = await copyFixture("engine-bad-config");
    let kind: string | undefined;
    const errors = await thrown(async () => {
      try {
        await runIn(dir);
      } catch (error) {
        kind = (error as { kind?: string }).kind;
        throw error;
      }
    });
    expect(kind).toBe("usage");
    expect(errors).toEqual([
      {
        name: "config",
        file: "huitou_project.yml",
        line: 6,
        column: 22,
        message: 'materialized must be one of view, table, incremental, ephemeral; got "tabel"',
      },
    ]);
  });
});
