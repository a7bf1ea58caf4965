/** Which pages read which relations. */
import { describe, expect, it } from "vitest";
import { mentioned, pageAffected, readsEverything } from "../../src/publish/pageDeps.ts";

describe("mentioned", () => {
  it("finds relation names as whole words, in any spelling of the reference", () => {
    const sql = `select * from main.retention_cohorts join "churn_monthly" using (month)
      -- rfm_segments is mentioned only in this comment
      where x in (select 1 from RETENTION_CURVE)`;
    const relations = ["retention_cohorts", "churn_monthly", "retention_curve", "rfm_segments", "retention"];
    expect([...mentioned(sql, relations)].sort()).toEqual([
      "churn_monthly",
      "retention_cohorts",
      "retention_curve",
    ]);
  });

  it("does not take a longer name for a shorter one", () => {
    expect([...mentioned("from retention_cohorts_v2", ["retention_cohorts"])]).toEqual([]);
  });
});

describe("pageAffected", () => {
  const queries = [{ sql: "select * from region_totals" }];
  it("is affected by a rebuilt relation it reads, not by others", () => {
    expect(pageAffected(queries, "", new Set(["region_totals"]))).toBe(true);
    expect(pageAffected(queries, "", new Set(["calendar_days"]))).toBe(false);
    expect(pageAffected(queries, "", new Set())).toBe(false);
  });

  it("a page that shows the run or reads the catalog is affected by every rebuild", () => {
    expect(readsEverything([{ sql: "select table_name from duckdb_tables()" }], "")).toBe(true);
    expect(readsEverything([], "## Tests\n\n<TestResults/>\n")).toBe(true);
    expect(readsEverything([], "<Lineage />")).toBe(true);
    expect(readsEverything(queries, "<DataTable data={x}/>")).toBe(false);
    expect(pageAffected([], "<Glossary/>", new Set(["anything"]))).toBe(true);
  });
});
