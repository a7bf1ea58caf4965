/**
 * Sizes shared by the chart functions: the height for a width, and a left margin wide enough
 * for the longest y tick label (Plot's default of 40 px clips `¥12.35万`).
 */
export function chartHeight(width: number): number {
  return Math.round(Math.min(320, Math.max(200, width * 0.5)));
}

/** Left margin for tick labels like `labels` at 11 px (CJK glyphs count double). */
export function marginFor(labels: string[], minimum = 36): number {
  let widest = 0;
  for (const label of labels) {
    let width = 0;
    for (const ch of label) width += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 11 : 6.6;
    widest = Math.max(widest, width);
  }
  return Math.ceil(Math.max(minimum, widest + 12));
}
