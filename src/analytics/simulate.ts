/**
 * Seeded simulation of customers from BG/NBD and Gamma-Gamma, for parameter-recovery tests,
 * benchmarks and demo data. Deterministic: the same seed gives the same customers anywhere.
 */
import type { BgNbdParams } from "./bgnbdPredict.ts";
import type { GammaGammaParams } from "./gammaGamma.ts";

/** A uniform generator on [0, 1). */
export type Random = () => number;

/** Uniforms with 53 random bits from xoshiro128** seeded by splitmix32: the same seed, the same stream. */
export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let [a, b, c, d] = [split(), split(), split(), split()];
  const next = () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  return () => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function standardNormal(random: Random): number {
  // Box–Muller; 1 − u keeps the logarithm finite.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** ln of a Gamma(shape, 1) draw (Marsaglia & Tsang; shapes below 1 boosted by U^(1/shape)). */
export function logGammaVariate(random: Random, shape: number): number {
  if (shape < 1) return logGammaVariate(random, shape + 1) + Math.log(1 - random()) / shape;
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = standardNormal(random);
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return Math.log(d * v);
  }
}

/** A Beta(a, b) draw, computed from log-Gammas so tiny shapes do not give 0/0. */
export function betaVariate(random: Random, a: number, b: number): number {
  const x = logGammaVariate(random, a);
  const y = logGammaVariate(random, b);
  return 1 / (1 + Math.exp(y - x));
}

export interface SimulationOptions {
  customers: number;
  seed: number;
  bgnbd: BgNbdParams;
  /** Each customer's age T is drawn uniformly from [minT, maxT] (time unit of alpha). */
  minT: number;
  maxT: number;
  /** Round purchase times down to whole units and merge purchases on one unit (one day). */
  wholeUnits?: boolean;
  /** Also draw transaction values; monetaryValue is then the mean of the repeat ones. */
  gammaGamma?: GammaGammaParams;
}

export interface SimulatedCustomers {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  monetaryValue: Float64Array;
}

/**
 * Customers as BG/NBD describes them: λ ~ Gamma(r, α), p ~ Beta(a, b); repeat purchases at rate
 * λ after the first purchase at time 0; after each repeat purchase the customer drops out with
 * probability p; observed until T.
 */
export function simulateCustomers(options: SimulationOptions): SimulatedCustomers {
  const { customers: n, bgnbd, minT, maxT, gammaGamma } = options;
  const random = seededRandom(options.seed);
  const out: SimulatedCustomers = {
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    T: new Float64Array(n),
    monetaryValue: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    let T = minT + (maxT - minT) * random();
    if (options.wholeUnits) T = Math.floor(T);
    const lambda = Math.exp(logGammaVariate(random, bgnbd.r)) / bgnbd.alpha;
    const p = betaVariate(random, bgnbd.a, bgnbd.b);
    const nu = gammaGamma ? Math.exp(logGammaVariate(random, gammaGamma.q)) / gammaGamma.v : 0;
    let t = 0;
    let last = 0;
    let x = 0;
    let spend = 0;
    for (;;) {
      t += -Math.log(1 - random()) / lambda;
      const at = options.wholeUnits ? Math.floor(t) : t;
      if (!(at <= T)) break;
      const value = gammaGamma ? Math.exp(logGammaVariate(random, gammaGamma.p)) / nu : 0;
      if (at > last || !options.wholeUnits) {
        x++;
        spend += value;
      } else if (x > 0) {
        // Same unit as the previous repeat purchase: one transaction, values summed.
        spend += value;
      }
      last = at;
      if (random() < p) break;
    }
    out.frequency[i] = x;
    out.recency[i] = x > 0 ? last : 0;
    out.T[i] = T;
    out.monetaryValue[i] = x > 0 ? spend / x : 0;
  }
  return out;
}
