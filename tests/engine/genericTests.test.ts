import { describe, expect, it } from "vitest";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
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

describe("key tests over written rows", () => {
  it("count the written keys over the whole table, nulls grouped as group by does", async () => {
    const adapter = await openDuckDB(":memory:");
    try {
      // Kept rows: (1, x), (2, y), (3, null), (5, z), (5, z) - an old duplicate of key 5 that
      // the narrowed test must not report: it involves no written row.
      // Written rows: (2, y), (3, null), (4, w).
      await adapter.execute(`create table written (id integer, tag varchar);
        insert into written values (2, 'y'), (3, null), (4, 'w');
        create table orders as select * from (values (1, 'x'), (2, 'y'), (3, null), (5, 'z'), (5, 'z')) as t(id, tag)
          union all select * from written`);
      const narrowed = (test: string, column: string | undefined, args: Record<string, unknown> = {}) =>
        (genericTest(test) as NonNullable<ReturnType<typeof genericTest>>)({
          ...context(column, args),
          relation: "orders",
          written: "written",
        });
      // unique(id): written keys 2, 3, 4 -> 2 and 3 occur twice in orders, 4 once; 5 is not written.
      const unique = await adapter.query(`${narrowed("unique", "id")} order by 1`);
      expect(unique.rows).toEqual([
        { unique_field: 2, n_records: 2 },
        { unique_field: 3, n_records: 2 },
      ]);
      // (id, tag): written (2, y), (3, null), (4, w) -> (2, y) twice and (3, null) twice, the
      // null tag matching the null tag (group by puts nulls together); (5, z) is not written.
      const combination = await adapter.query(
        `${narrowed("unique_combination_of_columns", undefined, { combination_of_columns: ["id", "tag"] })} order by 1`,
      );
      expect(combination.rows).toEqual([
        { id: 2, tag: "y", n_records: 2 },
        { id: 3, tag: null, n_records: 2 },
      ]);
    } finally {
      await adapter.close();
    }
  });
});
