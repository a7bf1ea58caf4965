/**
 * The cohort retention triangle: a row per cohort month, a column per month since the first
 * purchase, each cell the share of the cohort (or of its month-0 revenue) active then. Rows of
 * retention_cohorts in, a heatmap out; month 0 (always 100%) is left out of the colour domain
 * so later months, where the differences are, use the whole scale.
 */
import type { Row } from "../../engine/adapters/adapter.ts";
import { type Cell, type HeatmapOptions, heatmap } from "./heatmap.ts";
import type { ChartOptions } from "./scales.ts";

export interface RetentionOptions extends ChartOptions {
  /** `retention_rate` (customers) or `revenue_retention` (revenue). */
  measure?: "retention_rate" | "revenue_retention";
}

/** Cells of the triangle from retention_cohorts rows. */
export function retentionCells(rows: Row[], measure: RetentionOptions["measure"] = "retention_rate"): Cell[] {
  return rows.map((row) => ({
    x: Number(row.months_since_first),
    y: String(row.cohort_month).slice(0, 10),
    value: row[measure] === null || row[measure] === undefined ? null : Number(row[measure]),
  }));
}

/** Heatmap options of the triangle: the colour domain spans months 1.. (month 0 is always 100%). */
export function retentionHeatmapOptions(cells: Cell[], options: RetentionOptions): HeatmapOptions {
  const later = cells
    .filter((cell) => cell.x !== 0 && cell.value !== null)
    .map((cell) => cell.value as number);
  const top = later.length ? Math.max(...later) : 1;
  return {
    ...options,
    xUnit: "count",
    yUnit: "month",
    valueUnit: "percent",
    domain: [0, Math.min(1, top > 0 ? top : 1)],
  };
}

export function retentionHeatmap(rows: Row[], options: RetentionOptions): SVGSVGElement | HTMLElement {
  const cells = retentionCells(rows, options.measure);
  return heatmap(cells, retentionHeatmapOptions(cells, options));
}
