/**
 * Reads a number back from how the site shows it (zh locale), with the half-unit of its last
 * digit: "19.3%" is 0.193 ± 0.0005, "¥1.23万" is 12300 ± 50, "-2.0个百分点" is -0.02 ± 0.0005.
 * Tests compare a value they computed from the warehouse with `shows(text, value)`, so the
 * check covers both the number and the rounding a reader sees, without copying the formatter.
 */
export interface Shown {
  value: number;
  /** Half of the last shown digit: the widest gap rounding can explain. */
  tolerance: number;
}

const SCALE: Record<string, number> = { 万: 1e4, 亿: 1e8 };

export function parseShown(text: string): Shown {
  const cleaned = text.trim().replaceAll(",", "");
  const match = /^([+-]?)¥?(\d+(?:\.(\d+))?)(万|亿)?(%|个百分点|天|个月|×)?$/.exec(cleaned);
  if (!match) throw new Error(`not a shown number: ${JSON.stringify(text)}`);
  const [, sign, digits, decimals, big, suffix] = match;
  let value = Number(digits) * (sign === "-" ? -1 : 1);
  let tolerance = 0.5 * 10 ** -(decimals?.length ?? 0);
  const factor = (big ? SCALE[big]! : 1) * (suffix === "%" || suffix === "个百分点" ? 0.01 : 1);
  value *= factor;
  tolerance *= factor;
  return { value, tolerance };
}

/** Whether `text` is how `expected` would read after rounding (a relative 1e-9 slack for floats). */
export function shows(text: string, expected: number): boolean {
  const { value, tolerance } = parseShown(text);
  return Math.abs(value - expected) <= tolerance * (1 + 1e-9) + Math.abs(expected) * 1e-12;
}
