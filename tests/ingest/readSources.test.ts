/** Source declarations: the product's sources/shop.yml, the example mapping, and config errors. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HuitouError, HuitouErrors } from "../../src/errors.ts";
import { CONTRACT } from "../../src/ingest/contract.ts";
import { parseSourcesYaml, readSources } from "../../src/ingest/readSources.ts";

const ROOT = join(import.meta.dirname, "../..");

function failure(run: () => unknown): HuitouError {
  try {
    run();
  } catch (error) {
    if (error instanceof HuitouErrors) return error.errors[0]!;
    if (error instanceof HuitouError) return error;
    throw error;
  }
  throw new Error("expected a HuitouError");
}

describe("sources/shop.yml", () => {
  it("declares every contract table, customers and orders required, every column described", async () => {
    const tables = await readSources(ROOT);
    expect(tables.map((table) => table.name)).toEqual(CONTRACT.map((table) => table.name));
    expect(tables.filter((table) => table.load?.required).map((table) => table.name)).toEqual([
      "customers",
      "orders",
    ]);
    for (const table of tables) {
      const contract = CONTRACT.find((one) => one.name === table.name)!;
      expect([table.name, table.columns.map((column) => column.name)]).toEqual([
        table.name,
        contract.columns.map((column) => column.name),
      ]);
      for (const column of table.columns)
        expect(column.description, `${table.name}.${column.name}`).toBeTruthy();
      expect(table.relation).toBe(`raw.${table.name}`);
      expect(table.location.file).toBe("sources/shop.yml");
    }
  });

  it("reads dbt freshness in hours: 36 hours and 7 days = 168 hours", async () => {
    const orders = (await readSources(ROOT)).find((table) => table.name === "orders")!;
    expect(orders.freshness).toEqual({
      loadedAtField: "ordered_at",
      warnAfterHours: 36,
      errorAfterHours: 168,
    });
    expect(orders.load?.maxRejected).toEqual({ share: 0.5 });
    expect(orders.location.line).toBe(45);
  });

  it("falls back to the product's declarations for a project without sources/", async () => {
    const empty = await mkdtemp(join(tmpdir(), "huitou-nosources-"));
    const tables = await readSources(empty);
    await rm(empty, { recursive: true });
    expect(tables.map((table) => table.name)).toContain("orders");
  });
});

describe("load settings", () => {
  it("merges source defaults, maps columns and values, resolves gbk and tab", () => {
    const [orders] = parseSourcesYaml(
      `sources:
  - name: shop
    load: {encoding: GBK, delimiter: "\\t", max_rejected: {count: 3}}
    tables:
      - name: orders
        load:
          path: [a.csv, "b*.csv"]
          columns: {order_id: 订单号}
          values: {status: {交易成功: paid}}
`,
      "s.yml",
    );
    expect(orders!.load).toMatchObject({
      paths: ["a.csv", "b*.csv"],
      encoding: "gb18030",
      delimiter: "\t",
      columns: { order_id: "订单号" },
      values: { status: { 交易成功: "paid" } },
      maxRejected: { count: 3 },
      required: true,
      mode: "replace",
    });
  });

  it("reads load.mode per table over the source's, replace by default", () => {
    const tables = parseSourcesYaml(
      `sources:
  - name: shop
    load: {mode: append}
    tables:
      - name: orders
      - name: customers
        load: {mode: replace}
  - name: crm
    tables:
      - name: campaigns
`,
      "s.yml",
    );
    expect(tables.map((table) => [table.name, table.load?.mode])).toEqual([
      ["orders", "append"],
      ["customers", "replace"],
      ["campaigns", "replace"],
    ]);
  });

  it("rejects an unknown load.mode at its line", () => {
    const text =
      "sources:\n  - name: shop\n    tables:\n      - name: orders\n        load:\n          mode: upsert\n";
    const error = failure(() => parseSourcesYaml(text, "s.yml"));
    expect(error.message).toBe(
      "table orders: load.mode 'upsert' is not one of replace, append; replace reads the files as the whole table, append as daily deltas",
    );
    expect(error.location).toEqual({ file: "s.yml", line: 6, column: 17 });
  });

  it("rejects a table outside the contract, naming the file and line", () => {
    const error = failure(() =>
      parseSourcesYaml("sources:\n  - name: shop\n    tables:\n      - name: visits\n", "s.yml"),
    );
    expect(error.message).toBe(
      "table visits is not in the raw data contract; the tables are: customers, orders, order_items, products, campaigns, campaign_contacts, marketing_spend, reviews",
    );
    expect(error.location).toEqual({ file: "s.yml", line: 4, column: 15 });
    expect(error.kind).toBe("usage");
  });

  it("rejects a mapping onto a column the contract lacks, at the mapping's line", () => {
    const text =
      "sources:\n  - name: shop\n    tables:\n      - name: orders\n        load:\n          columns:\n            total: 实付金额\n";
    const error = failure(() => parseSourcesYaml(text, "s.yml"));
    expect(error.message).toMatch(
      /^table orders: load.columns maps onto 'total', which raw.orders does not have/,
    );
    expect(error.location?.line).toBe(7);
  });

  it("reports invalid YAML with its line", () => {
    const error = failure(() => parseSourcesYaml("sources:\n  - name: shop\n    tables: [\n", "s.yml"));
    expect(error.name).toBe("config");
    expect(error.message.startsWith("invalid YAML:")).toBe(true);
    expect(error.location?.file).toBe("s.yml");
  });

  it("rejects unknown load keys and encodings", () => {
    const base = "sources:\n  - name: shop\n    tables:\n      - name: orders\n        load:\n";
    expect(failure(() => parseSourcesYaml(`${base}          sep: ","\n`, "s.yml")).message).toMatch(
      /^unknown load setting 'sep'/,
    );
    expect(failure(() => parseSourcesYaml(`${base}          encoding: big5\n`, "s.yml")).message).toBe(
      "table orders: encoding 'big5' is not supported; use utf-8, gb18030 (covers GBK) or auto",
    );
  });
});
