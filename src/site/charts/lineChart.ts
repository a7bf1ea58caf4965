/** A line chart (Evidence's LineChart): one line per series, a dot per point with a tooltip. */
import * as Plot from "@observablehq/plot";
import type { Unit } from "../units.ts";
import { chartHeight, marginFor, monthTicks } from "./layout.ts";
import { type ChartOptions, PALETTE, tickFormat, valueText } from "./scales.ts";
import type { Point } from "./series.ts";
import { seriesNames } from "./series.ts";
import { chartDocument } from "./svg.ts";

export interface XYOptions extends ChartOptions {
  xUnit: Unit;
  yUnit: Unit;
  /** Draw a dot for each point (tooltips and keyboard-free hover targets). */
  dots?: boolean;
}

/** Lines over `points`, x on a time axis when its unit is a date or month. */
export function lineChart(points: Point[], options: XYOptions): SVGSVGElement | HTMLElement {
  const { width, locale, xUnit, yUnit } = options;
  const temporal = xUnit === "month" || xUnit === "date" || xUnit === "timestamp";
  const names = seriesNames(points);
  const values = points.map((point) => point.y).filter((y): y is number => y !== null);
  const yFormat = tickFormat(yUnit, locale);
  const xFormat = tickFormat(xUnit, locale);
  const title = (point: Point) =>
    `${point.series}\n${xFormat(point.x)}: ${valueText(point.y, yUnit, locale)}`;
  return Plot.plot({
    document: chartDocument,
    width,
    height: chartHeight(width),
    marginLeft: marginFor([yFormat(Math.max(0, ...values)), yFormat(Math.min(0, ...values))]),
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
      : { label: null, tickFormat: xFormat },
    y: {
      grid: true,
      nice: true,
      tickSize: 0,
      zero: Math.min(...values) >= 0,
      tickFormat: yFormat,
      label: null,
      ticks: 5,
    },
    color: { domain: names, range: PALETTE },
    marks: [
      Plot.lineY(points, {
        x: "x",
        y: "y",
        stroke: "series",
        strokeWidth: 2,
        curve: "monotone-x",
        ariaLabel: (point: Point) => point.series,
        ariaDescription: "line",
      }),
      // A phone drawing of a busy chart skips the dots: at 320 px they merge into the line,
      // and its table alternative holds every value.
      options.dots === false || (width < 400 && points.length > 60)
        ? null
        : Plot.dot(points, {
            x: "x",
            y: "y",
            fill: "series",
            r: points.length > 120 ? 1.5 : 3,
            title,
            ariaLabel: title,
            ariaDescription: "point",
          }),
    ],
  });
}
