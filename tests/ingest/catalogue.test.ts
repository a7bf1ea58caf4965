/**
 * The catalogue of bad inputs: each folder under tests/fixtures/ingest-cases/ is a data dir
 * (and, with a sources/ folder, its own project) plus expected.json, written by hand from the
 * raw contract: either the exact quarantine rows (source, line, column, reason, value) and
 * counts, or the exact error (name, message, exit code, location). Every case also checks the
 * bookkeeping: rows_in = rows_loaded + rows_rejected per source, one quarantine row per
 * rejected row, and the per-check rejects summing to the total.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Adapter } from "../../src/engine/adapters/adapter.ts";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import { HuitouError, HuitouErrors } from "../../src/errors.ts";
import { loadSources } from "../../src/ingest/loadSources.ts";
import { readSources } from "../../src/ingest/readSources.ts";

const CASES = join(import.meta.dirname, "../fixtures/ingest-cases");
const PRODUCT = join(import.meta.dirname, "../..");
// 2024-06-01 00:00 UTC is 08:00 in Asia/Shanghai: the load time every case sees.
const NOW = new Date("2024-06-01T00:00:00Z");

interface Expected {
  description: string;
  quarantine?: {
    source: string;
    line: number;
    column: string | null;
    reason: string;
    value: string | null;
  }[];
  loaded?: Record<string, number>;
  counted?: Record<string, number>;
  ids?: Record<string, string[]>;
  /** Keep the product's max_rejected; other cases drop it so each check is seen alone. */
  keepThresholds?: boolean;
  error?: {
    name: string;
    exit: number;
    message?: string;
    messageStartsWith?: string;
    file?: string;
    line?: number;
  };
}

const names = readdirSync(CASES).sort();

describe("bad-input catalogue", () => {
  let db: Adapter;
  beforeEach(async () => {
    db = await openDuckDB(":memory:");
  });
  afterEach(async () => {
    await db.close();
  });

  it("has at least 30 cases", () => {
    expect(names.length).toBeGreaterThanOrEqual(30);
  });

  it.each(names)("%s", async (name) => {
    const dir = join(CASES, name);
    const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as Expected;
    const projectDir = existsSync(join(dir, "sources")) ? dir : PRODUCT;
    let failure: unknown;
    try {
      const tables = await readSources(projectDir);
      if (projectDir === PRODUCT && !expected.keepThresholds) {
        for (const table of tables) delete table.load?.maxRejected;
      }
      await loadSources(db, tables, {
        projectDir,
        dataDir: dir,
        timezone: "Asia/Shanghai",
        now: NOW,
        piiSalt: "t",
      });
    } catch (error) {
      failure = error;
    }
    if (expected.error) {
      // Only HuitouErrors reach the user; anything else would print a stack trace.
      expect(failure instanceof HuitouError || failure instanceof HuitouErrors).toBe(true);
      const first = failure instanceof HuitouErrors ? failure.errors[0]! : (failure as HuitouError);
      const kind = failure instanceof HuitouErrors ? failure.kind : first.kind;
      expect(first.name).toBe(expected.error.name);
      expect(kind === "usage" ? 2 : 1).toBe(expected.error.exit);
      if (expected.error.message) expect(first.message).toBe(expected.error.message);
      if (expected.error.messageStartsWith)
        expect(first.message.startsWith(expected.error.messageStartsWith)).toBe(true);
      if (expected.error.file) expect(first.location?.file).toBe(expected.error.file);
      if (expected.error.line) expect(first.location?.line).toBe(expected.error.line);
      return;
    }
    expect(failure).toBeUndefined();
    const quarantine = await db.query(
      `select source, line, "column", reason, value from raw.quarantine order by source, line`,
    );
    const want = [...(expected.quarantine ?? [])].sort((a, b) =>
      a.source === b.source ? a.line - b.line : a.source < b.source ? -1 : 1,
    );
    expect(quarantine.rows.map((row) => ({ ...row, value: row.value ?? null }))).toEqual(
      want.map((row) => ({ ...row, value: row.value ?? null })),
    );
    for (const [table, count] of Object.entries(expected.loaded ?? {})) {
      const { rows } = await db.query(`select count(*) as n from raw.${table}`);
      expect([table, rows[0]?.n]).toEqual([table, count]);
    }
    for (const [key, count] of Object.entries(expected.counted ?? {})) {
      const [source, check] = key.split(".");
      const { rows } = await db.query(
        `select rows_loaded, rows_rejected from raw.load_report where source = $source and "check" = $check`,
        { source: source!, check: check! },
      );
      expect([key, rows[0]]).toEqual([key, { rows_loaded: count, rows_rejected: 0 }]);
    }
    for (const [table, ids] of Object.entries(expected.ids ?? {})) {
      const key = table === "customers" ? "customer_id" : "order_id";
      const { rows } = await db.query(`select ${key} as id from raw.${table} order by 1`);
      expect(rows.map((row) => row.id)).toEqual(ids);
    }
    await expectBookkeeping(db);
  });
});

/** rows_in = loaded + rejected; one quarantine row per rejected row; checks sum to the total. */
async function expectBookkeeping(db: Adapter): Promise<void> {
  const { rows } = await db.query(`
    select load.source, load.rows_in, load.rows_loaded, load.rows_rejected,
        (select count(*) from raw.quarantine where quarantine.source = load.source) as quarantined,
        (select sum(rows_rejected) from raw.load_report as checks
            where checks.source = load.source and checks."check" <> 'load') as check_rejects
    from raw.load_report as load where load."check" = 'load'`);
  for (const row of rows) {
    expect(row.rows_in).toBe(Number(row.rows_loaded) + Number(row.rows_rejected));
    expect(row.quarantined).toBe(row.rows_rejected);
    expect(row.check_rejects).toBe(row.rows_rejected);
    const { rows: loaded } = await db.query(`select count(*) as n from raw.${row.source}`);
    expect(loaded[0]?.n).toBe(row.rows_loaded);
  }
}
