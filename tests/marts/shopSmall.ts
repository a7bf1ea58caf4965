/**
 * Builds the shop-small fixture (tests/fixtures/shop-small), or any raw data folder, with the real
 * engine in a temporary copy of the project, so test files never share or leave a warehouse, and
 * opens the resulting warehouse read-only. Every mart test starts here.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Adapter, Row } from "../../src/engine/adapters/adapter.ts";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import { quietEffects } from "../../src/engine/effects.ts";
import { runProject } from "../../src/engine/session.ts";

const repo = join(import.meta.dirname, "../..");

/** The fixture's analysis date: its latest purchase (README.md of the fixture). */
export const SHOP_SMALL_AS_OF = "2025-03-15";

export interface Warehouse {
  db: Adapter;
  /** Rows of a query, in the adapter's conversion (numbers, `YYYY-MM-DD` dates). */
  rows(sql: string): Promise<Row[]>;
  /** `name: message` of every data test of `dataTests` that failed or errored. */
  dataTestFailures: string[];
  close(): Promise<void>;
}

export interface BuildOptions {
  /** What to build (dbt selector); default every mart and its ancestors. */
  select?: string;
  /** A selector (`path:models/marts/segments ...`) whose data tests are run after the build. */
  dataTests?: string;
  /** Changes the temporary copy of the project before it is built (e.g. a stub model). */
  patch?: (projectDir: string) => Promise<void>;
}

/** `huitou build --data tests/fixtures/shop-small/data --as-of D --var k=v ...` (see buildWarehouse). */
export function buildShopSmall(
  asOf = SHOP_SMALL_AS_OF,
  vars: Record<string, string> = {},
  options: BuildOptions = {},
): Promise<Warehouse> {
  return buildWarehouse(join(repo, "tests/fixtures/shop-small/data"), asOf, vars, options);
}

/**
 * `huitou build --data DIR --as-of D` through the engine's API, in a temporary copy of the
 * project: the sources, seeds and every model the marts need; then the data tests of
 * `options.dataTests`.
 */
export async function buildWarehouse(
  dataDir: string,
  asOf: string,
  vars: Record<string, string> = {},
  options: BuildOptions = {},
): Promise<Warehouse> {
  const dir = await mkdtemp(join(tmpdir(), "huitou-shop-small-"));
  for (const entry of ["huitou_project.yml", "models", "seeds", "macros", "sources"]) {
    await cp(join(repo, entry), join(dir, entry), { recursive: true });
  }
  // the singular data tests of the marts live beside these vitest files: copy only the .sql ones
  await cp(join(repo, "tests/marts"), join(dir, "tests/marts"), {
    recursive: true,
    filter: (source) => !/\.\w+$/.test(source) || source.endsWith(".sql"),
  });
  await options.patch?.(dir);
  const request = {
    projectDir: dir,
    dataDir,
    vars: { as_of: asOf, ...vars },
    threads: 2,
  };
  const built = await runProject(
    {
      ...request,
      invocation: "build",
      steps: { sources: true, seeds: true, models: true, tests: false },
      select: options.select ?? "+path:models/marts",
    },
    quietEffects(),
  );
  if (!built.published) {
    throw new Error(
      `shop-small did not build:\n${built.failures.map((failure) => failure.message).join("\n")}`,
    );
  }
  const dataTestFailures: string[] = [];
  if (options.dataTests) {
    const tested = await runProject(
      {
        ...request,
        invocation: "test",
        steps: { sources: false, seeds: false, models: false, tests: true },
        select: options.dataTests,
      },
      quietEffects(),
    );
    const results = tested.results.filter((result) => result.kind === "test");
    // a selector that matches no test would make the check vacuous
    if (results.length === 0) dataTestFailures.push(`no data test matched ${options.dataTests}`);
    for (const result of results) {
      if (result.status !== "pass") dataTestFailures.push(`${result.name}: ${result.message}`);
    }
  }
  const db = await openDuckDB(join(dir, "target/warehouse.duckdb"), { readOnly: true });
  return {
    db,
    rows: async (sql) => (await db.query(sql)).rows,
    dataTestFailures,
    async close() {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Rows keyed by one or more columns, for lookups like `byKey(rows, "customer_id").c01`. */
export function byKey(rows: Row[], ...columns: string[]): Record<string, Row> {
  return Object.fromEntries(rows.map((row) => [columns.map((column) => String(row[column])).join("|"), row]));
}
