/**
 * BG/NBD predictions for one customer (Fader, Hardie & Lee 2005): the probability of being
 * alive and the expected number of purchases over a horizon. Time may be in any unit (days,
 * weeks) as long as the parameters, the customer and the horizon share it: every quantity
 * below depends on times only through ratios, so days and weeks give the same predictions.
 */
import { aliveExpectedPurchases } from "./aliveExpectedPurchases.ts";
import { logistic } from "./special.ts";

/** BG/NBD parameters: purchase rates ~ Gamma(r, alpha), dropout probabilities ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** A customer's BTYD summary: repeat purchase count x, recency t_x, age T (same time unit). */
export interface Rft {
  frequency: number;
  recency: number;
  T: number;
}

/** Throws on a summary no purchase history can produce (a caller bug, not a user error). */
export function checkRft(c: Rft): void {
  const { frequency: x, recency: tx, T } = c;
  if (!(Number.isInteger(x) && x >= 0)) throw new Error(`invalid frequency: ${x}`);
  if (!(Number.isFinite(T) && T >= 0)) throw new Error(`invalid T: ${T}`);
  if (!(tx >= 0 && tx <= T)) throw new Error(`invalid recency: ${tx} (T = ${T})`);
}

/**
 * Log-odds that the customer has dropped out, given the history: ln(a / (b + x − 1)) +
 * (r + x) ln((α + T) / (α + t_x)); −∞ for x = 0 (BG/NBD cannot drop out before a repeat).
 */
export function deadLogOdds(p: BgNbdParams, c: Rft): number {
  const x = c.frequency;
  if (x === 0) return Number.NEGATIVE_INFINITY;
  // log1p of the gap keeps precision when T and t_x are close.
  const logRatio = Math.log1p((c.T - c.recency) / (p.alpha + c.recency));
  return Math.log(p.a) - Math.log(p.b + x - 1) + (p.r + x) * logRatio;
}

/** P(alive | x, t_x, T): exactly 1 for x = 0, and exactly 0 (not NaN) when the odds overflow. */
export function pAlive(p: BgNbdParams, c: Rft): number {
  checkRft(c);
  return logistic(-deadLogOdds(p, c));
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next t time units (P(alive) × the alive case). */
export function conditionalExpectedPurchases(p: BgNbdParams, c: Rft, t: number): number {
  checkRft(c);
  if (!(t >= 0)) throw new Error(`invalid horizon: ${t}`);
  const alive = logistic(-deadLogOdds(p, c));
  if (alive === 0) return 0;
  return alive * aliveExpectedPurchases(p, c.frequency, c.T, t);
}

/**
 * conditionalExpectedPurchases for many customers under one set of parameters, with the same
 * digits: of its two factors only P(alive) depends on t_x, so the costly hypergeometric one is
 * computed once per distinct (x, T, t) and remembered (a shop has some ten thousand (x, T)
 * pairs for a million (x, t_x, T) triples).
 */
export function conditionalExpectedPurchasesOf(p: BgNbdParams): (c: Rft, t: number) => number {
  const aliveCase = new Map<string, number>();
  return (c, t) => {
    checkRft(c);
    if (!(t >= 0)) throw new Error(`invalid horizon: ${t}`);
    const alive = logistic(-deadLogOdds(p, c));
    if (alive === 0) return 0;
    const key = `${c.frequency} ${c.T} ${t}`;
    let expected = aliveCase.get(key);
    if (expected === undefined) {
      expected = aliveExpectedPurchases(p, c.frequency, c.T, t);
      aliveCase.set(key, expected);
    }
    return alive * expected;
  };
}

/** E[X(t)]: expected purchases of a new customer in its first t time units (after its first). */
export function expectedPurchases(p: BgNbdParams, t: number): number {
  if (!(t >= 0)) throw new Error(`invalid horizon: ${t}`);
  return aliveExpectedPurchases(p, 0, 0, t);
}
