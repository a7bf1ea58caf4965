import { describe, expect, it } from "vitest";
import { genericTest } from "../../src/engine/genericTests.ts";
import { errors } from "../../src/errors.ts";

const context = (column: string | undefined, args: Record<string, unknown> = {}) => ({
  relation: '"main"."orders"',
  column,
  args,
  resolve: (expression: string) => (expression === "ref('customers')" ? '"main"."customers"' : "?"),
  fail: (message: string) => errors.config(message, { file: "models/orders.yml", line: 3 }),
});

describe("generic tests", () => {
  it("quote plain column names (a column may be called group) and keep expressions", () => {
    expect(genericTest("not_null")?.(context("group"))).toBe(
      'select *\nfrom "main"."orders"\nwhere "group" is null',
    );
    expect(genericTest("not_null")?.(context("lower(email)"))).toBe(
      'select *\nfrom "main"."orders"\nwhere lower(email) is null',
    );
  });

  it("build relationships against the resolved relation", () => {
    expect(
      genericTest("relationships")?.(context("customer_id", { to: "ref('customers')", field: "id" })),
    ).toBe(
      'select child."customer_id" as from_field\nfrom "main"."orders" as child\nleft join "main"."customers" as parent on child."customer_id" = parent."id"\nwhere child."customer_id" is not null and parent."id" is null',
    );
  });

  it("quote accepted values unless told not to, numbers bare", () => {
    expect(genericTest("accepted_values")?.(context("status", { values: ["paid", "it's", 3] }))).toContain(
      `not in ('paid', 'it''s', 3)`,
    );
    expect(genericTest("accepted_values")?.(context("n", { values: ["1", "2"], quote: false }))).toContain(
      "not in (1, 2)",
    );
  });

  it("know dbt-utils names and check their arguments", () => {
    expect(
      genericTest("dbt_utils.expression_is_true")?.(context(undefined, { expression: "a + b = c" })),
    ).toBe('select *\nfrom "main"."orders"\nwhere not (a + b = c)');
    expect(
      genericTest("dbt_utils.unique_combination_of_columns")?.(
        context(undefined, { combination_of_columns: ["a", "b"] }),
      ),
    ).toBe(
      'select "a", "b", count(*) as n_records\nfrom "main"."orders"\ngroup by "a", "b"\nhaving count(*) > 1',
    );
    expect(genericTest("accepted_range")?.(context("rate", { min_value: 0, max_value: 1 }))).toBe(
      'select *\nfrom "main"."orders"\nwhere not ("rate" >= 0 and "rate" <= 1)',
    );
    expect(() => genericTest("accepted_values")?.(context("status"))).toThrow(
      "accepted_values needs `values:`",
    );
    expect(() => genericTest("unique")?.(context(undefined))).toThrow("unique tests a column");
    expect(genericTest("nonsense")).toBeUndefined();
  });
});
