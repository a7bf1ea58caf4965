import { describe, expect, it } from "vitest";
import type { QueryResult } from "../../src/engine/adapters/adapter.ts";
import { formatResult } from "../../src/engine/format.ts";

const result: QueryResult = {
  columns: [
    { name: "cohort_month", type: "DATE" },
    { name: "rate", type: "DOUBLE" },
    { name: "label", type: "VARCHAR" },
    { name: "ok", type: "BOOLEAN" },
  ],
  rows: [
    { cohort_month: "2024-01-01", rate: 0.375, label: 'say "hi", ok', ok: true },
    { cohort_month: "2024-02-01", rate: Number.NaN, label: null, ok: false },
  ],
};

describe("formatResult", () => {
  it("json: an array of row objects, NaN as null", () => {
    expect(JSON.parse(formatResult(result, "json"))).toEqual([
      { cohort_month: "2024-01-01", rate: 0.375, label: 'say "hi", ok', ok: true },
      { cohort_month: "2024-02-01", rate: null, label: null, ok: false },
    ]);
  });

  it("csv: RFC 4180 quoting, null empty", () => {
    expect(formatResult(result, "csv")).toBe(
      'cohort_month,rate,label,ok\n2024-01-01,0.375,"say ""hi"", ok",true\n2024-02-01,NaN,,false\n',
    );
  });

  it("table: aligned, numbers to the right", () => {
    const table = formatResult({ columns: result.columns.slice(0, 2), rows: result.rows }, "table");
    expect(table).toBe(
      [
        "cohort_month |  rate",
        "-------------+------",
        "2024-01-01   | 0.375",
        "2024-02-01   |   NaN",
        "(2 rows)",
        "",
      ].join("\n"),
    );
  });
});
