/**
 * Weighted distinct (frequency, recency, T) triples. BG/NBD's likelihood depends on a customer
 * only through the triple, and a shop of millions of buyers has far fewer distinct triples
 * (whole days, a few years of history), so fits and predictions run on the compressed form.
 */

/** Column-wise distinct triples and how many customers share each (weights may be fractional). */
export interface Triples {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  weight: Float64Array;
}

/** Customers as parallel columns, as a query returns them. */
export interface CustomerColumns {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  /** How many customers each row stands for; 1 each when absent. */
  weight?: ArrayLike<number>;
}

/**
 * Groups equal triples, summing weights, in order of first appearance. Recency is set to 0 for
 * frequency 0 (the likelihood ignores it there). Throws on values no purchase history produces.
 */
export function compressTriples(customers: CustomerColumns): Triples {
  if (isTriples(customers)) return customers;
  const { frequency, recency, T, weight } = customers;
  const n = frequency.length;
  if (recency.length !== n || T.length !== n || (weight !== undefined && weight.length !== n)) {
    throw new Error(`invalid customer columns: lengths differ`);
  }
  const outX = new Float64Array(n);
  const outTx = new Float64Array(n);
  const outT = new Float64Array(n);
  const outW = new Float64Array(n);
  const table = new HashIndex(n, outX, outTx, outT);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const x = frequency[i]!;
    // `+ 0` turns -0 into 0, so both land on one key.
    const tx = x === 0 ? 0 : recency[i]! + 0;
    const age = T[i]! + 0;
    const w = weight === undefined ? 1 : weight[i]!;
    if (!(Number.isInteger(x) && x >= 0)) throw new Error(`invalid frequency at row ${i}: ${x}`);
    if (!(Number.isFinite(age) && tx >= 0 && tx <= age)) {
      throw new Error(`invalid recency/T at row ${i}: ${recency[i]} / ${T[i]}`);
    }
    if (!(Number.isFinite(w) && w >= 0)) throw new Error(`invalid weight at row ${i}: ${w}`);
    if (w === 0) continue;
    const slot = table.findOrInsert(x, tx, age, count);
    if (slot === count) {
      outX[count] = x;
      outTx[count] = tx;
      outT[count] = age;
      outW[count] = w;
      count++;
    } else {
      outW[slot]! += w;
    }
  }
  const triples = {
    frequency: outX.slice(0, count),
    recency: outTx.slice(0, count),
    T: outT.slice(0, count),
    weight: outW.slice(0, count),
  };
  COMPRESSED.add(triples);
  return triples;
}

// Triples made here are distinct and validated already: fits given them skip the work.
const COMPRESSED = new WeakSet<object>();

function isTriples(customers: CustomerColumns): customers is Triples {
  return COMPRESSED.has(customers);
}

/** The number of customers the triples stand for. */
export function totalWeight(triples: Triples): number {
  let sum = 0;
  for (const w of triples.weight) sum += w;
  return sum;
}

// Open addressing with linear probing over the bit patterns of the three doubles: a Map keyed
// by strings is ten times slower at millions of rows. The table holds row numbers; the keys are
// the output columns themselves.
class HashIndex {
  private readonly rows: Int32Array;
  private readonly mask: number;
  private readonly bits = new Float64Array(3);
  private readonly words = new Uint32Array(this.bits.buffer);
  private readonly x: Float64Array;
  private readonly tx: Float64Array;
  private readonly t: Float64Array;

  constructor(expected: number, x: Float64Array, tx: Float64Array, t: Float64Array) {
    let size = 16;
    while (size < 2 * expected) size *= 2;
    this.mask = size - 1;
    this.rows = new Int32Array(size).fill(-1);
    this.x = x;
    this.tx = tx;
    this.t = t;
  }

  /** The row holding the key, or `row` (reserved for it) when the key is new. */
  findOrInsert(a: number, b: number, c: number, row: number): number {
    this.bits[0] = a;
    this.bits[1] = b;
    this.bits[2] = c;
    // Whole numbers as doubles have all their entropy in the high word's top bits: mix each word
    // fully (murmur3's finaliser) so the low bits that pick the slot depend on all of them.
    let h = 0x9e3779b9;
    for (let i = 0; i < 6; i++) {
      h = Math.imul(h ^ this.words[i]!, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    }
    let slot = h & this.mask;
    for (;;) {
      const stored = this.rows[slot]!;
      if (stored === -1) {
        this.rows[slot] = row;
        return row;
      }
      if (this.x[stored] === a && this.tx[stored] === b && this.t[stored] === c) return stored;
      slot = (slot + 1) & this.mask;
    }
  }
}
