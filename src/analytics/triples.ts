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
  const { frequency, recency, T, weight } = customers;
  const n = frequency.length;
  if (recency.length !== n || T.length !== n || (weight !== undefined && weight.length !== n)) {
    throw new Error(`invalid customer columns: lengths differ`);
  }
  const table = new HashIndex(n);
  const outX: number[] = [];
  const outTx: number[] = [];
  const outT: number[] = [];
  const outW: number[] = [];
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
    const slot = table.findOrInsert(x, tx, age, outX.length);
    if (slot === outX.length) {
      outX.push(x);
      outTx.push(tx);
      outT.push(age);
      outW.push(w);
    } else {
      outW[slot]! += w;
    }
  }
  return {
    frequency: Float64Array.from(outX),
    recency: Float64Array.from(outTx),
    T: Float64Array.from(outT),
    weight: Float64Array.from(outW),
  };
}

/** The number of customers the triples stand for. */
export function totalWeight(triples: Triples): number {
  let sum = 0;
  for (const w of triples.weight) sum += w;
  return sum;
}

// Open addressing with linear probing over the bit patterns of the three doubles: a Map keyed
// by strings is ten times slower at millions of rows.
class HashIndex {
  private readonly keys: Float64Array;
  private readonly values: Int32Array;
  private readonly mask: number;
  private readonly bits = new Float64Array(3);
  private readonly words = new Uint32Array(this.bits.buffer);

  constructor(expected: number) {
    let size = 16;
    while (size < 2 * expected) size *= 2;
    this.mask = size - 1;
    this.keys = new Float64Array(3 * size);
    this.values = new Int32Array(size).fill(-1);
  }

  /** The stored value for the key, or `value` after storing it when the key is new. */
  findOrInsert(a: number, b: number, c: number, value: number): number {
    this.bits[0] = a;
    this.bits[1] = b;
    this.bits[2] = c;
    let h = 0x811c9dc5;
    for (let i = 0; i < 6; i++) h = Math.imul(h ^ this.words[i]!, 0x01000193);
    h ^= h >>> 15;
    let slot = h & this.mask;
    for (;;) {
      const stored = this.values[slot]!;
      if (stored === -1) {
        this.values[slot] = value;
        this.keys[3 * slot] = a;
        this.keys[3 * slot + 1] = b;
        this.keys[3 * slot + 2] = c;
        return value;
      }
      if (this.keys[3 * slot] === a && this.keys[3 * slot + 1] === b && this.keys[3 * slot + 2] === c) {
        return stored;
      }
      slot = (slot + 1) & this.mask;
    }
  }
}
