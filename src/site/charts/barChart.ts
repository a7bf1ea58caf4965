/**
 * A bar chart (Evidence's BarChart): vertical or horizontal (`swapXY`), several series
 * stacked or grouped. A time x draws as rectangles on a time axis, so months get readable
 * ticks instead of one label per bar.
 */
import * as Plot from "@observablehq/plot";
import { chartHeight, fitLabel, labelWidth, marginFor, monthTicks } from "./layout.ts";
import type { XYOptions } from "./lineChart.ts";
import { PALETTE, tickFormat, valueText } from "./scales.ts";
import type { Point } from "./series.ts";
import { seriesNames } from "./series.ts";
import { chartDocument } from "./svg.ts";

export interface BarOptions extends XYOptions {
  horizontal?: boolean;
  grouped?: boolean;
}

/** Bars of `points`; categories keep the order of the rows. */
export function barChart(points: Point[], options: BarOptions): SVGSVGElement | HTMLElement {
  const { width, locale, xUnit, yUnit } = options;
  const names = seriesNames(points);
  const data = points.map((point) => ({ ...point, y: point.y ?? 0 }));
  const yFormat = tickFormat(yUnit, locale);
  const xFormat = tickFormat(xUnit, locale);
  const title = (point: Point) =>
    `${names.length > 1 ? `${point.series}\n` : ""}${xFormat(point.x)}: ${valueText(point.y, yUnit, locale)}`;
  const values = data.map((point) => point.y);
  const categories = [...new Set(data.map((point) => point.x))];
  const colour = { domain: names, range: PALETTE };
  const temporal = xUnit === "month" || xUnit === "date";
  // Category labels that would collide under vertical bars (a phone drawing, long names)
  // go on the left of horizontal bars instead.
  const crowded =
    !temporal &&
    categories.reduce<number>((sum, category) => sum + labelWidth(xFormat(category)) + 14, 0) > width - 60;
  if (options.horizontal || crowded) {
    const labels = categories.map((category) => xFormat(category));
    const grouped = options.grouped && names.length > 1;
    const height = Math.max(110, categories.length * (grouped ? 13 * names.length + 10 : 26) + 40);
    const marginLeft = Math.min(width * 0.4, marginFor(labels));
    const yLabel = (category: unknown) => fitLabel(xFormat(category), marginLeft - 10);
    return Plot.plot({
      document: chartDocument,
      width,
      height,
      marginLeft,
      marginRight: 24,
      y: grouped
        ? { axis: null, domain: names }
        : { domain: categories, label: null, tickFormat: yLabel, tickSize: 0 },
      fy: grouped
        ? { domain: categories, label: null, tickFormat: yLabel, axis: "left", tickSize: 0 }
        : undefined,
      x: {
        grid: true,
        nice: true,
        tickSize: 0,
        tickFormat: yFormat,
        label: null,
        ticks: Math.max(2, Math.floor(width / 110)),
      },
      color: colour,
      marks: [
        grouped
          ? Plot.barX(data, {
              fy: "x",
              y: "series",
              x: "y",
              fill: "series",
              title,
              ariaLabel: title,
              ariaDescription: "bar",
            })
          : Plot.barX(data, {
              y: "x",
              x: "y",
              fill: "series",
              title,
              ariaLabel: title,
              ariaDescription: "bar",
              order: names,
            }),
        Plot.ruleX([0], { ariaDescription: "zero" }),
      ],
    });
  }
  const common = {
    document: chartDocument,
    width,
    height: chartHeight(width),
    marginLeft: marginFor([yFormat(Math.max(0, ...values)), yFormat(Math.min(0, ...values))]),
    marginRight: 16,
    color: colour,
  };
  if (temporal) {
    return Plot.plot({
      ...common,
      x: {
        type: "utc",
        tickFormat: xFormat,
        label: null,
        ticks:
          xUnit === "month"
            ? monthTicks(
                data.map((point) => point.x),
                width,
              )
            : Math.max(2, Math.floor(width / 90)),
      },
      y: { grid: true, nice: true, tickSize: 0, tickFormat: yFormat, label: null, ticks: 5 },
      marks: [
        Plot.rectY(data, {
          x: "x",
          interval: xUnit === "month" ? "month" : "day",
          y: "y",
          fill: "series",
          inset: 1,
          title,
          ariaLabel: title,
          ariaDescription: "bar",
          order: names,
        }),
        Plot.ruleY([0], { ariaDescription: "zero" }),
      ],
    });
  }
  return Plot.plot({
    ...common,
    marginBottom: 36,
    x: options.grouped
      ? { axis: null, domain: names }
      : { domain: categories, label: null, tickFormat: xFormat },
    fx: options.grouped ? { domain: categories, label: null, tickFormat: xFormat } : undefined,
    y: { grid: true, nice: true, tickSize: 0, tickFormat: yFormat, label: null, ticks: 5 },
    marks: [
      options.grouped
        ? Plot.barY(data, {
            fx: "x",
            x: "series",
            y: "y",
            fill: "series",
            title,
            ariaLabel: title,
            ariaDescription: "bar",
          })
        : Plot.barY(data, {
            x: "x",
            y: "y",
            fill: "series",
            title,
            ariaLabel: title,
            ariaDescription: "bar",
            order: names,
          }),
      Plot.ruleY([0], { ariaDescription: "zero" }),
    ],
  });
}
