/**
 * Sizes shared by the chart functions: the height for a width, and a left margin wide enough
 * for the longest y tick label (Plot's default of 40 px clips `¥12.35万`).
 */
export function chartHeight(width: number): number {
  return Math.round(Math.min(320, Math.max(200, width * 0.5)));
}

/** The width of a tick label at 11 px (CJK glyphs count double). */
export function labelWidth(label: string): number {
  let width = 0;
  for (const ch of label) width += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 11 : 6.6;
  return width;
}

/** Left margin for tick labels like `labels` at 11 px. */
export function marginFor(labels: string[], minimum = 36): number {
  const widest = Math.max(0, ...labels.map(labelWidth));
  return Math.ceil(Math.max(minimum, widest + 12));
}

const MONTH_STEPS = [1, 2, 3, 6, 12, 24, 60];

/**
 * Ticks of a month axis that fit `width`: the smallest whole step of months (1, 2, 3, 6 months,
 * 1, 2, 5 years) whose labels (`24年10月`, about 50 px) do not collide; a count otherwise.
 */
export function monthTicks(values: unknown[], width: number): string | number {
  const room = Math.max(2, Math.floor(width / 72));
  const times = values.filter((value): value is Date => value instanceof Date).map((date) => date.getTime());
  if (times.length === 0) return room;
  const first = new Date(Math.min(...times));
  const last = new Date(Math.max(...times));
  const span =
    (last.getUTCFullYear() - first.getUTCFullYear()) * 12 + (last.getUTCMonth() - first.getUTCMonth());
  const step = MONTH_STEPS.find((months) => Math.floor(span / months) + 1 <= room) ?? 120;
  if (step % 12 === 0) return step === 12 ? "year" : `${step / 12} years`;
  return step === 1 ? "month" : `${step} months`;
}

/**
 * `label` cut to `maxWidth` px at 11 px with an ellipsis: a long category name (a campaign)
 * on a phone keeps its start; the full name stays in the mark's tooltip and the data table.
 */
export function fitLabel(label: string, maxWidth: number): string {
  if (labelWidth(label) <= maxWidth) return label;
  let out = "";
  for (const ch of label) {
    if (labelWidth(`${out}${ch}…`) > maxWidth) break;
    out += ch;
  }
  return `${out.trimEnd()}…`;
}
