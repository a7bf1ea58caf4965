import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  gamma,
  gammaMarsagliaTsang,
  gammaStreams,
  mulberry32,
  pick,
  uniform,
} from "../../src/demo/random.ts";
import type { Adapter } from "../../src/engine/adapters/adapter.ts";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";

let db: Adapter;
beforeAll(async () => {
  db = await openDuckDB(":memory:");
});
afterAll(async () => {
  await db.close();
});

const N = 200_000;

/** Mean and variance of a SQL draw over keys 0..N-1. */
async function moments(expression: string): Promise<{ mean: number; variance: number }> {
  const { rows } = await db.query(
    `select avg(x) as mean, var_samp(x) as variance from (select ${expression} as x from range(${N}) as t(i))`,
  );
  return { mean: Number(rows[0]!.mean), variance: Number(rows[0]!.variance) };
}

describe("uniform", () => {
  it("has the moments of U(0, 1): mean 1/2, variance 1/12", async () => {
    const { mean, variance } = await moments(uniform(42, "i", 1));
    // SE of the mean: sqrt(1/12 / 200000) = 0.000645; 4 SE = 0.0026.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0026);
    // SE of the variance of a uniform: sqrt((1/80 - 1/144) / N) = 0.000167; 4 SE = 0.00067.
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.00067);
  });

  it("gives independent streams and keys (pairs fill a 16 x 16 grid evenly)", async () => {
    for (const [a, b] of [
      [uniform(42, "i", 1), uniform(42, "i", 2)],
      [uniform(42, "i", 1), uniform(43, "i", 1)],
      [uniform(42, "i", 1), uniform(42, "i + 1", 1)],
    ]) {
      const { rows } = await db.query(`with cells as (
          select floor(${a} * 16) as a, floor(${b} * 16) as b, count(*) as n
          from range(256000) as t(i) group by all)
        select count(*) as cells, sum(pow(n - 1000, 2) / 1000) as chi2 from cells`);
      // 256 cells of expected 1000: chi-square with 255 df, mean 255, sd 22.6; 99.99% quantile ~ 350.
      expect(Number(rows[0]!.cells)).toBe(256);
      expect(Number(rows[0]!.chi2)).toBeLessThan(350);
    }
  });

  it("is a pure function of (seed, key, stream)", async () => {
    const { rows } = await db.query(`select ${uniform(7, "12345", 3)} as a, ${uniform(7, "12345", 3)} as b`);
    expect(rows[0]!.a).toBe(rows[0]!.b);
  });

  it("rejects a stream outside 0..1023", () => {
    expect(() => uniform(1, "i", 1024)).toThrow(/invalid stream/);
  });
});

describe("gamma (half-integer shapes, exact)", () => {
  // Gamma(k, rate β): mean k/β, variance k/β².
  for (const [shape, rate] of [
    [0.5, 45],
    [1.5, 1],
    [4, 120],
    [4.5, 1],
    [6, 2],
  ] as const) {
    it(`Gamma(${shape}, ${rate}) has mean ${shape}/${rate} and variance ${shape}/${rate}²`, async () => {
      const { mean, variance } = await moments(gamma(42, "i", 10, shape, rate));
      const sd = Math.sqrt(shape) / rate;
      // 5 standard errors of the mean: 5 sd / sqrt(N).
      expect(Math.abs(mean - shape / rate)).toBeLessThan((5 * sd) / Math.sqrt(N));
      // The variance within 5% (its SE is sd² sqrt((2 + 6/k) / N) <= 1.3% here).
      expect(variance / (shape / rate ** 2)).toBeCloseTo(1, 1);
    });
  }

  it("counts its streams: floor(shape) exponentials plus 2 for a half", () => {
    expect(gammaStreams(4)).toBe(4);
    expect(gammaStreams(4.5)).toBe(6);
    expect(gammaStreams(0.5)).toBe(2);
  });

  it("rejects shapes that are not multiples of 0.5", () => {
    expect(() => gamma(1, "i", 1, 0.75, 1)).toThrow(/invalid gamma shape/);
  });
});

describe("gammaMarsagliaTsang", () => {
  for (const shape of [1, 3, 40]) {
    it(`Gamma(${shape}, 1) has mean ${shape} and variance ${shape}`, async () => {
      const { mean, variance } = await moments(gammaMarsagliaTsang(42, "i", 100, String(shape)));
      expect(Math.abs(mean - shape)).toBeLessThan((5 * Math.sqrt(shape)) / Math.sqrt(N));
      expect(variance / shape).toBeCloseTo(1, 1);
    });
  }
});

describe("pick", () => {
  it("draws each value with its share", async () => {
    const expression = pick("x", { a: 0.5, b: 0.3, c: 0.2 });
    const { rows } = await db.query(
      `select v, count(*) as n from (select ${expression} as v from (select ${uniform(1, "i", 1)} as x from range(${N}) as t(i))) group by v order by v`,
    );
    const shares = Object.fromEntries(rows.map((row) => [row.v, Number(row.n) / N]));
    // SE of a share near 0.5: sqrt(0.25 / 200000) = 0.0011; 4 SE = 0.0045.
    expect(shares.a).toBeCloseTo(0.5, 2);
    expect(shares.b).toBeCloseTo(0.3, 2);
    expect(shares.c).toBeCloseTo(0.2, 2);
  });

  it("maps the boundaries by cumulative share: [0, .5) a, [.5, .8) b, [.8, 1) c", async () => {
    const expression = (u: number) => pick(String(u), { a: 0.5, b: 0.3, c: 0.2 });
    const { rows } = await db.query(
      `select ${expression(0.49)} as x, ${expression(0.5)} as y, ${expression(0.79)} as z, ${expression(0.8)} as w`,
    );
    expect(rows[0]).toEqual({ x: "a", y: "b", z: "b", w: "c" });
  });
});

describe("mulberry32", () => {
  it("repeats for a seed and differs between seeds", () => {
    const a = mulberry32(5);
    const b = mulberry32(5);
    const c = mulberry32(6);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(c()).not.toBe(first[0]);
    for (const value of first) expect(value >= 0 && value < 1).toBe(true);
  });
});
