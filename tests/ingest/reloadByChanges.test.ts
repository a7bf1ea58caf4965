/**
 * A full CRM export reloaded by its changes (src/ingest/reuseSql.ts): the rows whose text the
 * previous load fingerprinted are taken over, the rest parsed, and raw.customers is patched in
 * place. Whatever path a reload takes, the raw tables, quarantine, load report and register
 * must equal a plain load of the same file (tests/ingest/dailyShop.ts `dump`, _loaded_at aside),
 * and unchanged rows keep their _loaded_at. Expected values by hand from the files below.
 */
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDay, DAYS, dataDir, dump, query, type Run, report, run, shop, tuples } from "./dailyShop.ts";

const HEADER = "customer_id,created_at,tier,name\n";
// Day 1's export. Line 7 is rejected (month 13).
const FIRST = [
  "c0,2023-12-31,,Kong",
  "c1,2024-01-01,gold,Li Lei",
  "c2,2024-01-02,silver,Han Meimei",
  "c3,2024-01-03,,Wang",
  "c4,2024-01-04,bronze,Zhao",
  "c5,2024-13-01,,Qian",
  "c9,2024-01-09,,Sun",
];
// Day 2's export, line by line (the header is line 1):
//  2 c0 unchanged and involved in nothing: never staged, so staging rowids are not ordinals
//  3 c1 unchanged: taken over, keeps day 1's _loaded_at
//  4 c2 changed (silver -> gold): new version, day 2
//  5 c4 unchanged text, but line 9 brings another version: duplicate_key, both rejected
//  6 c5 fixed: new, day 2
//  7 c1 again, the same text: duplicate_row (line 3's copy loads)
//  8 c9 with spaces around the id: other text, the same row once trimmed: day 1's _loaded_at
//  9 c4 gold: duplicate_key with line 5
// 10 c6 on 30 February: unparseable_timestamp
// 11 c7 with a fifth field: malformed_row
// c3 is gone. Loaded: c0, c1, c2, c5, c9; gone without a version: c3, c4.
const SECOND = [
  "c0,2023-12-31,,Kong",
  "c1,2024-01-01,gold,Li Lei",
  "c2,2024-01-02,gold,Han Meimei",
  "c4,2024-01-04,bronze,Zhao",
  "c5,2024-01-05,,Qian",
  "c1,2024-01-01,gold,Li Lei",
  " c9 ,2024-01-09,,Sun",
  "c4,2024-01-04,gold,Zhao",
  "c6,2024-02-30,,Zhou",
  "c7,2024-01-07,,Zheng,extra",
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "huitou-reload-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A data dir with day 1's orders and `lines` as customers.csv. */
async function data(name: string, lines: string[]): Promise<string> {
  const path = await dataDir(dir, name);
  await addDay(path, DAYS[0]!);
  await writeFile(join(path, "customers.csv"), `${HEADER}${lines.join("\n")}\n`);
  return path;
}

const fingerprints = (db: string) =>
  query(db, 'select * from raw."row_fingerprints__customers" order by all');

describe("a full export reloaded by its changes", () => {
  let refreshed: string;
  let plain: string;
  let second: Run;
  beforeAll(async () => {
    const path = await data("changes", FIRST);
    refreshed = join(dir, "changes.duckdb");
    await run(refreshed, path, DAYS[0]!);
    await writeFile(join(path, "customers.csv"), `${HEADER}${SECOND.join("\n")}\n`);
    second = await run(refreshed, path, DAYS[1]!);
    plain = join(dir, "plain.duckdb");
    await run(plain, await data("plain", SECOND), DAYS[1]!);
  });

  it("goes by the changes, writing only the new versions", () => {
    // Written: c2, c5, c9 (3); unchanged: c0, c1 (2); removed: old c2, c3, c4, old c9 (4).
    expect(second.progress).toContain("customers: 2 rows unchanged, 3 new or changed written, 4 removed");
    expect(report(second, "customers")).toMatchObject({
      refresh: "full",
      rowsIn: 10,
      rowsLoaded: 5,
      rowsRejected: 5,
      rowsWritten: 3,
    });
  });

  it("gives what a plain load of the file gives", async () => {
    expect(await dump(refreshed)).toEqual(await dump(plain));
    expect(await fingerprints(refreshed)).toEqual(await fingerprints(plain));
  });

  it("keeps _loaded_at of the rows that did not change", async () => {
    expect(
      await tuples(refreshed, "select customer_id, tier, _loaded_at from raw.customers order by 1"),
    ).toEqual([
      ["c0", null, shop(DAYS[0]!)],
      ["c1", "gold", shop(DAYS[0]!)],
      ["c2", "gold", shop(DAYS[1]!)],
      ["c5", null, shop(DAYS[1]!)],
      ["c9", null, shop(DAYS[0]!)],
    ]);
  });

  it("quarantines by line, known rows included", async () => {
    expect(
      await tuples(
        refreshed,
        `select line, reason, "column", value from raw.quarantine where source = 'customers' order by line`,
      ),
    ).toEqual([
      [5, "duplicate_key", "customer_id", "c4"],
      [7, "duplicate_row", "customer_id", "c1"],
      [9, "duplicate_key", "customer_id", "c4"],
      [10, "unparseable_timestamp", "created_at", "2024-02-30"],
      [11, "malformed_row", null, null],
    ]);
  });

  it("records the rows that went away", async () => {
    // c3 and c4 have no version any more; c2 and c9 do.
    expect(await tuples(refreshed, "select source, rows, deleted_at from raw.row_deletions")).toEqual([
      ["customers", 2, shop(DAYS[1]!)],
    ]);
  });
});

describe("when the previous load cannot vouch for its rows", () => {
  it("reloads every row when the clock went back, with the same result", async () => {
    const path = await data("clock", FIRST);
    const db = join(dir, "clock.duckdb");
    await run(db, path, DAYS[1]!);
    await writeFile(join(path, "customers.csv"), `${HEADER}${SECOND.join("\n")}\n`);
    const back = await run(db, path, DAYS[0]!);
    // A row checked at day 2 may be in the future of day 1: nothing is taken over.
    expect(back.progress.some((line) => line.includes("rows unchanged"))).toBe(false);
    const plain = join(dir, "clock-plain.duckdb");
    await run(plain, await data("clock-plain", SECOND), DAYS[0]!);
    expect(await dump(db)).toEqual(await dump(plain));
  });

  it("reloads every row when the fingerprints are missing, and keeps them again", async () => {
    const path = await data("missing", FIRST);
    const db = join(dir, "missing.duckdb");
    await run(db, path, DAYS[0]!);
    const copy = join(dir, "missing-copy.duckdb");
    await copyFile(db, copy);
    const { openDuckDB } = await import("../../src/engine/adapters/duckdb.ts");
    const adapter = await openDuckDB(copy);
    await adapter.execute('drop table raw."row_fingerprints__customers"');
    await adapter.close();
    await writeFile(join(path, "customers.csv"), `${HEADER}${SECOND.join("\n")}\n`);
    const again = await run(copy, path, DAYS[1]!);
    expect(again.progress.some((line) => line.includes("rows unchanged"))).toBe(false);
    // c1 is equal to day 1's row: the plain reload keeps its _loaded_at too.
    expect(
      await tuples(copy, "select customer_id, _loaded_at from raw.customers where customer_id = 'c1'"),
    ).toEqual([["c1", shop(DAYS[0]!)]]);
    // Fingerprints of the 5 loaded rows are kept for the next reload.
    expect(await query(copy, 'select count(*) as n from raw."row_fingerprints__customers"')).toEqual([
      { n: 5 },
    ]);
  });
});

describe("an export in JSON lines", () => {
  /** `lines` as JSON lines (the first four fields of each; a fifth is dropped). */
  const jsonl = (lines: string[]) =>
    lines
      .map((line) => {
        const [customer_id, created_at, tier, name] = line.split(",");
        return JSON.stringify({ customer_id, created_at, tier, name });
      })
      .join("\n");

  it("reloads by its changes too, with the lines of the JSON file", async () => {
    const path = await dataDir(dir, "jsonl");
    await addDay(path, DAYS[0]!);
    await rm(join(path, "customers.csv"));
    await writeFile(join(path, "customers.jsonl"), `${jsonl(FIRST)}\n`);
    const db = join(dir, "jsonl.duckdb");
    await run(db, path, DAYS[0]!);
    await writeFile(join(path, "customers.jsonl"), `${jsonl(SECOND)}\n`);
    const second = await run(db, path, DAYS[1]!);
    // As in the CSV case, plus c7 (its fifth field dropped): written c2, c5, c9, c7.
    expect(second.progress).toContain("customers: 2 rows unchanged, 4 new or changed written, 4 removed");
    const plainPath = await dataDir(dir, "jsonl-plain");
    await addDay(plainPath, DAYS[0]!);
    await rm(join(plainPath, "customers.csv"));
    await writeFile(join(plainPath, "customers.jsonl"), `${jsonl(SECOND)}\n`);
    const plain = join(dir, "jsonl-plain.duckdb");
    await run(plain, plainPath, DAYS[1]!);
    expect(await dump(db)).toEqual(await dump(plain));
    // JSON lines have no header: c4's versions are lines 4 and 8, c1's copy line 6, c6 line 9.
    expect(
      await tuples(db, "select line, reason from raw.quarantine where source = 'customers' order by line"),
    ).toEqual([
      [4, "duplicate_key"],
      [6, "duplicate_row"],
      [8, "duplicate_key"],
      [9, "unparseable_timestamp"],
    ]);
  });
});
