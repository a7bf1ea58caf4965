/**
 * CSV text built in SQL: records read back by DuckDB's own CSV reader give the values written,
 * NULL as an empty field, several records in one text as several rows.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvHeader, csvLiteral, csvRecord, csvRecords } from "../../src/demo/sql/csv.ts";
import type { Adapter } from "../../src/engine/adapters/adapter.ts";
import { quoteLiteral } from "../../src/engine/adapters/adapter.ts";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";

let db: Adapter;
let root: string;
beforeAll(async () => {
  db = await openDuckDB(":memory:");
  root = await mkdtemp(join(tmpdir(), "huitou-demo-csv-"));
});
afterAll(async () => {
  await db.close();
  await rm(root, { recursive: true, force: true });
});

describe("csvRecord and csvRecords", () => {
  it("write records that DuckDB's reader reads back field for field", async () => {
    const path = join(root, "t.csv");
    const record = (id: string, amount: string, note: string) =>
      csvRecord([id, `(${amount})::DECIMAL(18,2)::VARCHAR`, note]);
    // Row 1 holds one record with a NULL note; row 2 holds two records (a NULL one is skipped).
    await db.execute(`copy (
        select ${csvRecords([record("'A1'", "12.5", "NULL"), "NULL"])} as "${csvHeader(["id", "amount", "note"])}"
        union all
        select ${csvRecords([record("'B2'", "0", "'x'"), "NULL", record("'C3'", "7.25", "'y'")])}
      ) to ${quoteLiteral(path)} (format csv, header true, quote '', escape '')`);
    expect(await readFile(path, "utf8")).toBe("id,amount,note\nA1,12.50,\nB2,0.00,x\nC3,7.25,y\n");
    const { rows } = await db.query(
      `select * from read_csv(${quoteLiteral(path)}, header = true, all_varchar = true) order by id`,
    );
    expect(rows).toEqual([
      { id: "A1", amount: "12.50", note: null },
      { id: "B2", amount: "0.00", note: "x" },
      { id: "C3", amount: "7.25", note: "y" },
    ]);
  });
});

describe("csvLiteral and csvHeader", () => {
  it("quote a safe value for SQL and reject one that would need CSV quoting", () => {
    expect(csvLiteral("MKT2303A")).toBe("'MKT2303A'");
    expect(csvLiteral("SKU10001", ",", ",")).toBe("',SKU10001,'");
    expect(csvLiteral("O'Brien")).toBe("'O''Brien'");
    expect(() => csvLiteral("a,b")).toThrow(/invalid csv value/);
    expect(() => csvLiteral('say "hi"')).toThrow(/invalid csv value/);
    expect(() => csvLiteral("two\nlines")).toThrow(/invalid csv value/);
    expect(csvHeader(["order_id", "group"])).toBe("order_id,group");
    expect(() => csvHeader(["a,b"])).toThrow(/invalid csv column/);
  });
});
