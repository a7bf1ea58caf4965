/**
 * Deterministic randomness written as SQL expressions. Every draw is a pure function of
 * (seed, key, stream): DuckDB's `hash` (a 64-bit finaliser) of `key x 1024 + stream`, mixed with
 * the seed and hashed again, its top 53 bits mapped to the open interval (0, 1). Row order and
 * thread count cannot change a value, which is what makes the files byte-identical for a seed.
 * (The multi-argument `hash(a, b, c)` is not used: it combines its inputs weakly, and
 * u(i, 1), u(i, 2) drawn with it correlate at 0.59.)
 */
import type { Mix } from "./parameters.ts";

/** Streams per key: a stream number must be below this. */
export const STREAMS = 1024;

/** The seed spread over 64 bits (golden-ratio multiply), as a UBIGINT literal. */
function seedMix(seed: number): string {
  const mixed = (BigInt(seed) * 0x9e3779b97f4a7c15n + 0x632be59bd9b4e019n) & 0xffffffffffffffffn;
  return `${mixed}::UBIGINT`;
}

/** A uniform draw in (0, 1) for a BIGINT key expression and a stream number. */
export function uniform(seed: number, key: string, stream: number): string {
  if (!(Number.isInteger(stream) && stream >= 0 && stream < STREAMS))
    throw new Error(`invalid stream: ${stream}`);
  return `((hash(xor(hash((${key})::BIGINT * ${STREAMS} + ${stream}), ${seedMix(seed)})) >> 11)::DOUBLE + 0.5) / 9007199254740992.0`;
}

/**
 * A Gamma(shape, rate) draw for a half-integer shape, sampled exactly: the sum of floor(shape)
 * standard exponentials (-ln of a product of uniforms), plus, for a shape ending in .5, half a
 * squared standard normal (Box-Muller: -ln(U1) cos²(2π U2)), i.e. a chi-square(2 x shape) / 2.
 * Uses streams `stream .. stream + gammaStreams(shape) - 1`. `rate` is a number or a SQL expression.
 */
export function gamma(
  seed: number,
  key: string,
  stream: number,
  shape: number,
  rate: number | string,
): string {
  if (!(shape > 0 && Number.isInteger(shape * 2))) throw new Error(`invalid gamma shape: ${shape}`);
  const whole = Math.floor(shape);
  const terms: string[] = [];
  if (whole > 0) {
    const product = Array.from({ length: whole }, (_, j) => uniform(seed, key, stream + j)).join(" * ");
    terms.push(`-ln(${product})`);
  }
  if (shape !== whole) {
    const u1 = uniform(seed, key, stream + whole);
    const u2 = uniform(seed, key, stream + whole + 1);
    terms.push(`-ln(${u1}) * pow(cos(2 * pi() * ${u2}), 2)`);
  }
  return `((${terms.join(" + ")}) / (${rate}))`;
}

/** Streams a gamma() call consumes, so callers can lay out non-overlapping stream numbers. */
export function gammaStreams(shape: number): number {
  return Math.floor(shape) + (Number.isInteger(shape) ? 0 : 2);
}

/**
 * A categorical draw: the CASE over cumulative shares that maps a uniform to a value. Pass a
 * column holding the uniform, not a uniform() expression, which each branch would re-evaluate.
 */
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

/**
 * SQL: whether `pick(u, mix, false)` draws `value` or more, for a mix of ascending numeric
 * values: one comparison with the cumulative share of the values below it, as pick() sums it.
 */
export function pickAtLeast(u: string, mix: Mix, value: number): string {
  const entries = Object.entries(mix);
  const total = entries.reduce((sum, [, share]) => sum + share, 0);
  const values = entries.map(([v]) => Number(v));
  if (!(total > 0) || values.some((v, k) => !Number.isFinite(v) || (k > 0 && v <= values[k - 1]!)))
    throw new Error(`invalid ascending mix: ${JSON.stringify(mix)}`);
  const below = values.findIndex((v) => v >= value);
  if (below <= 0) return below === 0 ? "true" : "false";
  let cumulative = 0;
  for (const [, share] of entries.slice(0, below)) cumulative += share / total;
  return `(${u} >= ${cumulative})`;
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

/** Tries of the Marsaglia-Tsang sampler unrolled into SQL; each is accepted w.p. >= 0.95. */
export const MARSAGLIA_TSANG_TRIES = 6;

/**
 * A Gamma(shape, 1) draw for a per-row shape >= 1 (a SQL expression, e.g. a column), by
 * Marsaglia and Tsang (2000): x normal (Box-Muller), v = (1 + c x)^3, accept d v when
 * ln U < x²/2 + d - d v + d ln v, with d = shape - 1/3 and c = 1/sqrt(9d). The rejection loop
 * is unrolled into a CASE of MARSAGLIA_TSANG_TRIES tries using streams `stream ..
 * stream + 3 x tries - 1`; a CASE evaluates a later try only for the rows still rejected. If
 * every try fails (probability below 0.05^6 = 1.6e-8) the value is d, the sampler's centre.
 */
export function gammaMarsagliaTsang(seed: number, key: string, stream: number, shape: string): string {
  const d = `((${shape})::DOUBLE - 1.0 / 3)`;
  const c = `(1 / sqrt(9 * ${d}))`;
  const branches = Array.from({ length: MARSAGLIA_TSANG_TRIES }, (_, t) => {
    const s = stream + 3 * t;
    const x = `(sqrt(-2 * ln(${uniform(seed, key, s)})) * cos(2 * pi() * ${uniform(seed, key, s + 1)}))`;
    const v = `pow(1 + ${c} * ${x}, 3)`;
    const accept = `${v} > 0 and ln(${uniform(seed, key, s + 2)}) < 0.5 * pow(${x}, 2) + ${d} - ${d} * ${v} + ${d} * ln(greatest(${v}, 1e-300))`;
    return `when ${accept} then ${d} * ${v}`;
  });
  return `(case ${branches.join(" ")} else ${d} end)`;
}

/**
 * A 64-bit hash of (seed, key, stream) to feed four coarse draws with `quarter` (one hash
 * instead of four, for draws that need no more than 16 bits: categories, flags, delays).
 * Select it as a column first; each quarter then reads that column.
 */
export function hash64(seed: number, key: string, stream: number): string {
  if (!(Number.isInteger(stream) && stream >= 0 && stream < STREAMS))
    throw new Error(`invalid stream: ${stream}`);
  return `hash(xor(hash((${key})::BIGINT * ${STREAMS} + ${stream}), ${seedMix(seed)}))`;
}

/** The k-th (0 to 3) 16-bit uniform in (0, 1) of a hash64 column: resolution 1/65536. */
export function quarter(hashColumn: string, k: 0 | 1 | 2 | 3): string {
  return `(((${hashColumn} >> ${16 * k}) & 65535)::DOUBLE + 0.5) / 65536`;
}

/** The same 16 bits as `quarter(hashColumn, k)`, as a 1-based index into a `pickTable`. */
export function quarterIndex(hashColumn: string, k: 0 | 1 | 2 | 3): string {
  return `(((${hashColumn} >> ${16 * k}) & 65535) + 1)::BIGINT`;
}

/**
 * SQL: for every 16-bit uniform u of `quarter()`, in order, the 1-based position in `mix` of
 * `pick(u, mix)`, as a TINYINT list: indexed by `quarterIndex()`, it draws exactly what the
 * CASE draws, at a fraction of the cost (one list read instead of up to one comparison per
 * value). Use it through a lookup table (sql/lookups.ts pickLookup).
 */
export function pickTable(mix: Mix): string {
  const entries = Object.entries(mix);
  if (entries.length > 127) throw new Error(`invalid mix: ${entries.length} values`);
  // The same shares in the same order: pick() computes the same cumulative thresholds.
  const positions = Object.fromEntries(entries.map(([, share], k) => [String(k + 1), share]));
  return `(select list(${pick("((k::DOUBLE + 0.5) / 65536)", positions, false)}::TINYINT order by k) from range(65536) as t(k))`;
}
