/**
 * Timestamp parsing into naive shop time. Expected values by hand: an ISO offset is an
 * instant, shown in the shop's zone (UTC+8 for Asia/Shanghai; New York is UTC-4 in July and
 * UTC-5 in January).
 */
import { describe, expect, it } from "vitest";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import { timestampSql } from "../../src/ingest/timestampSql.ts";

async function parse(values: string[], timezone: string): Promise<(string | null)[]> {
  const db = await openDuckDB(":memory:");
  const out: (string | null)[] = [];
  for (const value of values) {
    const { rows } = await db.query(`select ${timestampSql("$v::varchar", timezone)} as t`, { v: value });
    out.push((rows[0]?.t as string | null) ?? null);
  }
  await db.close();
  return out;
}

describe("timestampSql", () => {
  it("reads the contract's and exports' formats as shop time", async () => {
    expect(
      await parse(
        [
          "2024-03-01",
          "2024-03-01 09:05:07",
          "2024/3/1",
          "2024/3/1 9:05",
          "2024/03/01 21:40:10",
          "2024.3.1",
          "2024-03-01T09:05:07",
          "2024-03-01 09:05",
        ],
        "Asia/Shanghai",
      ),
    ).toEqual([
      "2024-03-01 00:00:00",
      "2024-03-01 09:05:07",
      "2024-03-01 00:00:00",
      "2024-03-01 09:05:00",
      "2024-03-01 21:40:10",
      "2024-03-01 00:00:00",
      "2024-03-01 09:05:07",
      "2024-03-01 09:05:00",
    ]);
  });

  it("converts ISO 8601 offsets and Z to the shop's zone", async () => {
    // 02:00Z + 8h = 10:00; 10:00+08:00 is 10:00; 23:30-05:00 = 04:30Z next day = 12:30 in Shanghai.
    expect(
      await parse(
        [
          "2024-03-01T02:00:00Z",
          "2024-03-01T10:00:00+08:00",
          "2024-03-01T23:30:00-05:00",
          "2024-03-01T10:00:00.500+0800",
        ],
        "Asia/Shanghai",
      ),
    ).toEqual(["2024-03-01 10:00:00", "2024-03-01 10:00:00", "2024-03-02 12:30:00", "2024-03-01 10:00:00"]);
    // 12:00Z in New York: 08:00 in July (EDT), 07:00 in January (EST).
    expect(await parse(["2024-07-01T12:00:00Z", "2024-01-15T12:00:00Z"], "America/New_York")).toEqual([
      "2024-07-01 08:00:00",
      "2024-01-15 07:00:00",
    ]);
  });

  it("gives NULL for what is not a date", async () => {
    expect(
      await parse(["2024-13-01", "2024-02-30", "01/02/2024", "yesterday", "20240301x"], "Asia/Shanghai"),
    ).toEqual([null, null, null, null, null]);
  });
});
