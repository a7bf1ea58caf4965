/**
 * Deterministic randomness written as SQL expressions. Every draw is a pure function of
 * (seed, key, stream): DuckDB's `hash` of the three, hashed again (the multi-argument hash alone
 * combines its inputs weakly: u(i, 1) and u(i, 2) correlate at 0.59), its top 53 bits mapped to
 * the open interval (0, 1). Row order and thread count cannot change a value, which is what makes
 * the files byte-identical for a seed.
 */
import type { Mix } from "./parameters.ts";

/** A uniform draw in (0, 1) for a BIGINT key expression and a stream number. */
export function uniform(seed: number, key: string, stream: number): string {
  return `((hash(hash(${seed}::BIGINT, (${key})::BIGINT, ${stream}::BIGINT)) >> 11)::DOUBLE + 0.5) / 9007199254740992.0`;
}

/** A standard exponential draw: -ln(U). */
export function exponential(seed: number, key: string, stream: number): string {
  return `(-ln(${uniform(seed, key, stream)}))`;
}

/** A standard normal draw by Box-Muller from streams `stream` and `stream + 1`. */
export function normal(seed: number, key: string, stream: number): string {
  return `(sqrt(-2 * ln(${uniform(seed, key, stream)})) * cos(2 * pi() * ${uniform(seed, key, stream + 1)}))`;
}

/** Tries of the Marsaglia-Tsang rejection sampler; each is accepted with probability >= 0.95. */
export const GAMMA_TRIES = 6;

/**
 * A Gamma(shape, rate) draw by Marsaglia and Tsang (2000), unrolled into a CASE of
 * GAMMA_TRIES tries that use streams `stream .. stream + 3 x GAMMA_TRIES - 1` (plus one more for
 * shape < 1, boosted as Gamma(shape + 1) x U^(1/shape)). If every try is rejected (probability
 * below 0.05^6 = 1.6e-8) the value is d / rate, the sampler's centre.
 */
export function gamma(seed: number, key: string, stream: number, shape: number, rate: number): string {
  if (!(shape > 0 && rate > 0)) throw new Error(`invalid gamma parameters: ${shape}, ${rate}`);
  const boosted = shape < 1;
  const d = (boosted ? shape + 1 : shape) - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  const branches: string[] = [];
  let last = "";
  for (let t = 0; t < GAMMA_TRIES; t++) {
    const s = stream + 3 * t;
    const x = normal(seed, key, s);
    const v = `pow(1 + ${c} * ${x}, 3)`;
    const accept = `${v} > 0 and ln(${uniform(seed, key, s + 2)}) < 0.5 * pow(${x}, 2) + ${d} - ${d} * ${v} + ${d} * ln(greatest(${v}, 1e-300))`;
    branches.push(`when ${accept} then ${d} * ${v}`);
    last = `${d}`;
  }
  let draw = `(case ${branches.join(" ")} else ${last} end)`;
  if (boosted) draw = `(${draw} * pow(${uniform(seed, key, stream + 3 * GAMMA_TRIES)}, ${1 / shape}))`;
  return `(${draw} / ${rate})`;
}

/** Streams a gamma() call consumes, so callers can lay out non-overlapping stream numbers. */
export function gammaStreams(shape: number): number {
  return 3 * GAMMA_TRIES + (shape < 1 ? 1 : 0);
}

/** A categorical draw: the CASE over cumulative shares that maps a uniform to a value. */
export function pick(u: string, mix: Mix, quote = true): string {
  const entries = Object.entries(mix);
  const total = entries.reduce((sum, [, share]) => sum + share, 0);
  if (entries.length === 0 || !(total > 0)) throw new Error(`invalid mix: ${JSON.stringify(mix)}`);
  const literal = (value: string) => (quote ? `'${value.replaceAll("'", "''")}'` : value);
  let cumulative = 0;
  const whens: string[] = [];
  entries.slice(0, -1).forEach(([value, share]) => {
    cumulative += share / total;
    whens.push(`when ${u} < ${cumulative} then ${literal(value)}`);
  });
  return `(case ${whens.join(" ")} else ${literal(entries.at(-1)![0])} end)`;
}

/** A small seeded PRNG for the few draws made in TypeScript (the campaign plan): mulberry32. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
