/**
 * Turns query rows into the long form the chart functions draw: one point per (x, series, y),
 * with `y` columns folded into series when a chart shows several measures (`y={['a','b']}`).
 */
import type { Row } from "../../engine/adapters/adapter.ts";
import { toDate } from "./scales.ts";

export interface Point {
  x: unknown;
  y: number | null;
  series: string;
}

export interface SeriesFields {
  x: string;
  y: string[];
  series?: string;
  /** Display label of each y column, used as the series name when there are several. */
  yLabels: Record<string, string>;
  temporal: boolean;
}

/** Long-form points; a null y stays null (a gap in a line), never 0. */
export function toPoints(rows: Row[], fields: SeriesFields): Point[] {
  const points: Point[] = [];
  for (const row of rows) {
    for (const column of fields.y) {
      const raw = row[column];
      const series =
        fields.series !== undefined
          ? String(row[fields.series] ?? "—")
          : fields.y.length > 1
            ? (fields.yLabels[column] ?? column)
            : (fields.yLabels[column] ?? column);
      points.push({
        x: fields.temporal ? toDate(row[fields.x]) : row[fields.x],
        y: raw === null || raw === undefined || raw === "" ? null : Number(raw),
        series,
      });
    }
  }
  return points;
}

/** The series names in order of first appearance. */
export function seriesNames(points: Point[]): string[] {
  return [...new Set(points.map((point) => point.series))];
}
