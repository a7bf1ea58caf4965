/**
 * The statistics macros of macros/ (normal_cdf, wilson_*, newcombe_*, two_proportion_*) rendered
 * with nunjucks exactly as the engine renders macros (every file of macros/ before the query),
 * then run in DuckDB. Expected values come from published tables and from 30-digit
 * computations with mpmath (an independent implementation), never from these macros.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import nunjucks from "nunjucks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Adapter, Row } from "../../src/engine/adapters/adapter.ts";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";

const macroDir = join(import.meta.dirname, "../../macros");
const macros = readdirSync(macroDir)
  .filter((file) => file.endsWith(".sql"))
  .map((file) => readFileSync(join(macroDir, file), "utf8"))
  .join("\n");
const env = new nunjucks.Environment(null, { autoescape: false });

let db: Adapter;
beforeAll(async () => {
  db = await openDuckDB(":memory:");
});
afterAll(async () => {
  await db.close();
});

async function run(template: string): Promise<Row[]> {
  return (await db.query(env.renderString(macros + template, {}))).rows;
}

describe("normal_cdf", () => {
  // Reference values: mpmath.ncdf at 30 significant digits (mp.dps = 30).
  const cases: [number, number][] = [
    [0, 0.5],
    [0.5, 0.6914624612740131],
    [1, 0.8413447460685429],
    [1.959964, 0.9750000009035577],
    [2, 0.9772498680518208],
    [3, 0.9986501019683699],
    [-0.3, 0.3820885778110474],
    [-1, 0.15865525393145705],
    [-1.2345, 0.10850832336267018],
    [-2, 0.02275013194817921],
    [-3.5, 0.00023262907903552504],
    [-5, 2.866515718791939e-7],
    [-8, 6.220960574271784e-16],
    [6.5, 0.99999999995984],
    [-7.5, 3.1908916729108963e-14],
    [-20, 2.7536241186062337e-89],
    [40, 1],
    [-40, 0],
  ];
  it("agrees with 30-digit values to 1e-14 absolute and 1e-8 relative in the tails", async () => {
    const values = cases.map(([x]) => `(${x}::double)`).join(", ");
    const rows = await run(`select x, {{ normal_cdf('x') }} as p from (values ${values}) as t(x) order by x`);
    const expected = [...cases].sort((a, b) => a[0] - b[0]);
    rows.forEach((row, i) => {
      const [x, want] = expected[i]!;
      expect(row.x).toBe(x);
      const got = Number(row.p);
      expect(Math.abs(got - want)).toBeLessThan(1e-14);
      if (want > 0) expect(Math.abs(got - want) / Math.min(want, 1 - want || 1)).toBeLessThan(1e-8);
    });
  });
  it("is null for null", async () => {
    const rows = await run(`select {{ normal_cdf('null::double') }} as p`);
    expect(rows[0]!.p).toBeNull();
  });
});

describe("wilson interval (Newcombe 1998a, Statistics in Medicine 17:857, table I, method 3)", () => {
  it("matches the published 4-decimal bounds", async () => {
    // Published: 81/263 -> 0.2553, 0.3662; 15/148 -> 0.0624, 0.1605; 0/20 -> 0.0000, 0.1611;
    // 1/29 -> 0.0061, 0.1718. The 10-digit values are mpmath's of the same formula, z = 1.959964.
    const rows = await run(
      `select x, n, {{ wilson_low('x', 'n') }} as low, {{ wilson_high('x', 'n') }} as high
       from (values (81, 263), (15, 148), (0, 20), (1, 29)) as t(x, n)`,
    );
    const want = [
      [0.2552885195, 0.3662095775],
      [0.06238639929, 0.1604872423],
      [0, 0.1611251602],
      [0.006113214225, 0.1717552204],
    ];
    rows.forEach((row, i) => {
      expect(Number(row.low)).toBeCloseTo(want[i]![0]!, 9);
      expect(Number(row.high)).toBeCloseTo(want[i]![1]!, 9);
    });
  });
  it("is null without trials and stays inside [0, 1] at the extremes", async () => {
    const rows = await run(
      `select {{ wilson_low('0', '0') }} as l0, {{ wilson_high('0', '0') }} as h0,
              {{ wilson_low('10', '10') }} as l10, {{ wilson_high('10', '10') }} as h10`,
    );
    expect(rows[0]!.l0).toBeNull();
    expect(rows[0]!.h0).toBeNull();
    // 10/10: low = 10 / (10 + z^2) = 10 / 13.841459 = 0.7224672; high exactly 1.
    expect(Number(rows[0]!.l10)).toBeCloseTo(0.7224672, 7);
    expect(Number(rows[0]!.h10)).toBe(1);
  });
});

describe("newcombe hybrid score interval (Newcombe 1998b, Statistics in Medicine 17:873, table II, method 10)", () => {
  // The eight worked examples of the paper and their published 95% limits.
  const examples: [number, number, number, number, number, number][] = [
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
    [10, 10, 0, 10, 0.6075, 1],
  ];
  it("reproduces the published limits to 4 decimals", async () => {
    const values = examples.map(([a, b, c, d], i) => `(${i}, ${a}, ${b}, ${c}, ${d})`).join(", ");
    const rows = await run(
      `select i, {{ newcombe_low('x1', 'n1', 'x2', 'n2') }} as low, {{ newcombe_high('x1', 'n1', 'x2', 'n2') }} as high
       from (values ${values}) as t(i, x1, n1, x2, n2) order by i`,
    );
    rows.forEach((row, i) => {
      const [, , , , low, high] = examples[i]!;
      expect(Math.abs(Number(row.low) - low)).toBeLessThan(0.00005 + 1e-12);
      expect(Math.abs(Number(row.high) - high)).toBeLessThan(0.00005 + 1e-12);
    });
  });
  it("is null when a group is empty", async () => {
    const rows = await run(`select {{ newcombe_low('1', '2', '0', '0') }} as low`);
    expect(rows[0]!.low).toBeNull();
  });
});

describe("two_proportion_p_value (pooled z-test, two-sided)", () => {
  it("matches 30-digit values", async () => {
    // 56/70 vs 48/80: pooled 104/150; z = 0.2 / sqrt(0.69333 x 0.30667 x (1/70 + 1/80))
    // = 0.2 / 0.0754672 = 2.650172; p = 2 x (1 - Phi(2.650172)) = 0.00804508 (mpmath below).
    const cases: [number, number, number, number, number][] = [
      [56, 70, 48, 80, 0.00804508136819658],
      [9, 10, 3, 10, 0.00616989932054416],
      [10, 10, 0, 20, 4.3204630578275e-8],
      [81, 263, 15, 148, 2.0072944202557e-6],
      [0, 20, 1, 29, 0.401435204605868],
      [120, 1000, 95, 1000, 0.0711140616964463],
    ];
    const values = cases.map(([a, b, c, d], i) => `(${i}, ${a}, ${b}, ${c}, ${d})`).join(", ");
    const rows = await run(
      `select i, {{ two_proportion_p_value('x1', 'n1', 'x2', 'n2') }} as p
       from (values ${values}) as t(i, x1, n1, x2, n2) order by i`,
    );
    rows.forEach((row, i) => {
      const want = cases[i]![4];
      expect(Math.abs(Number(row.p) - want) / want).toBeLessThan(1e-9);
    });
  });
  it("is null when the pooled rate is 0 or 1", async () => {
    const rows = await run(
      `select {{ two_proportion_p_value('0', '10', '0', '20') }} as none,
              {{ two_proportion_p_value('10', '10', '20', '20') }} as all_`,
    );
    expect(rows[0]!.none).toBeNull();
    expect(rows[0]!.all_).toBeNull();
  });
});
