import { describe, expect, it } from "vitest";
import { checkAsOf, chooseData } from "../../src/engine/dataChoice.ts";
import type { SourceTable } from "../../src/ingest/api.ts";

const table = (pathsDeclared: boolean) =>
  ({
    source: "shop",
    name: "orders",
    relation: "raw.orders",
    columns: [],
    location: { file: "sources/shop.yml" },
    load: { pathsDeclared },
  }) as unknown as SourceTable;

describe("chooseData", () => {
  it("takes --data, then --demo, then declared paths", () => {
    expect(chooseData({ data: "/d", demo: false, tables: [], interactive: false })).toEqual({
      kind: "data",
      dir: "/d",
    });
    expect(chooseData({ data: undefined, demo: true, tables: [], interactive: false })).toEqual({
      kind: "demo",
      asked: true,
    });
    expect(chooseData({ data: undefined, demo: false, tables: [table(true)], interactive: false })).toEqual({
      kind: "declared",
    });
  });

  it("builds the demo unasked only at a terminal; CI gets no-data (exit 2)", () => {
    expect(chooseData({ data: undefined, demo: false, tables: [table(false)], interactive: true })).toEqual({
      kind: "demo",
      asked: false,
    });
    expect(() =>
      chooseData({ data: undefined, demo: false, tables: [table(false)], interactive: false }),
    ).toThrow("no data sources configured");
    expect(() => chooseData({ data: "/d", demo: true, tables: [], interactive: true })).toThrow(
      "exclude each other",
    );
  });
});

describe("checkAsOf", () => {
  it("accepts real dates only", () => {
    expect(checkAsOf("2024-02-29")).toBe("2024-02-29");
    expect(() => checkAsOf("2023-02-29")).toThrow("--as-of expects a date");
    expect(() => checkAsOf("2024-6-30")).toThrow("--as-of expects a date");
  });
});
