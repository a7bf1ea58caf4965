/** An area chart (Evidence's AreaChart): series stacked, each topped by a line. */
import * as Plot from "@observablehq/plot";
import { chartHeight, marginFor, monthTicks } from "./layout.ts";
import type { XYOptions } from "./lineChart.ts";
import { PALETTE, tickFormat, valueText } from "./scales.ts";
import type { Point } from "./series.ts";
import { seriesNames } from "./series.ts";
import { chartDocument } from "./svg.ts";

/** Stacked areas over a time (or ordered) x; nulls read as 0 in a stack. */
export function areaChart(points: Point[], options: XYOptions): SVGSVGElement | HTMLElement {
  const { width, locale, xUnit, yUnit } = options;
  const names = seriesNames(points);
  const stacked = points.map((point) => ({ ...point, y: point.y ?? 0 }));
  const totals = new Map<unknown, number>();
  for (const point of stacked) totals.set(String(point.x), (totals.get(String(point.x)) ?? 0) + point.y);
  const yFormat = tickFormat(yUnit, locale);
  const xFormat = tickFormat(xUnit, locale);
  const temporal = xUnit === "month" || xUnit === "date" || xUnit === "timestamp";
  return Plot.plot({
    document: chartDocument,
    width,
    height: chartHeight(width),
    marginLeft: marginFor([yFormat(Math.max(0, ...totals.values()))]),
    marginRight: 16,
    x: temporal
      ? {
          type: "utc",
          tickFormat: xFormat,
          label: null,
          ticks:
            xUnit === "month"
              ? monthTicks(
                  points.map((point) => point.x),
                  width,
                )
              : Math.max(2, Math.floor(width / 90)),
        }
      : { label: null },
    y: { grid: true, nice: true, tickSize: 0, tickFormat: yFormat, label: null, ticks: 5 },
    color: { domain: names, range: PALETTE },
    marks: [
      Plot.areaY(stacked, {
        x: "x",
        y: "y",
        fill: "series",
        fillOpacity: 0.75,
        order: names,
        ariaLabel: (point: Point) => point.series,
        ariaDescription: "area",
      }),
      Plot.dot(
        stacked,
        Plot.stackY2({
          x: "x",
          y: "y",
          fill: "series",
          order: names,
          r: 2,
          title: (point: Point) =>
            `${point.series}\n${xFormat(point.x)}: ${valueText(point.y, yUnit, locale)}`,
          ariaLabel: (point: Point) =>
            `${point.series} ${xFormat(point.x)}: ${valueText(point.y, yUnit, locale)}`,
          ariaDescription: "point",
        }),
      ),
      Plot.ruleY([0], { ariaDescription: "zero" }),
    ],
  });
}
