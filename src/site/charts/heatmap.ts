/**
 * A heatmap (Evidence's Heatmap): a cell per (x, y) coloured by a value in six quantized
 * classes — a discrete legend a reader can match by eye, and one that renders without a
 * canvas (Plot's continuous ramp needs one). Cells wide enough carry their value as text, in
 * white on the dark classes and dark on the light ones.
 */
import * as Plot from "@observablehq/plot";
import type { Unit } from "../units.ts";
import { marginFor } from "./layout.ts";
import { type ChartOptions, SEQUENTIAL, tickFormat, valueText } from "./scales.ts";
import { chartDocument } from "./svg.ts";

export interface Cell {
  x: unknown;
  y: unknown;
  value: number | null;
}

export interface HeatmapOptions extends ChartOptions {
  xUnit: Unit;
  yUnit: Unit;
  valueUnit: Unit;
  /** Colour domain; defaults to [min(0, values), max(values)]. */
  domain?: [number, number];
}

const CLASSES = 6;

/** The colour scale shared by the cells and the legend. */
export function heatmapColor(cells: Cell[], options: HeatmapOptions) {
  const values = cells.map((cell) => cell.value).filter((value): value is number => value !== null);
  const domain = options.domain ?? [Math.min(0, ...values), Math.max(1e-9, ...values)];
  return {
    type: "quantize",
    n: CLASSES,
    scheme: SEQUENTIAL as Plot.ColorScheme,
    domain,
    unknown: "transparent",
  } satisfies Plot.ScaleOptions;
}

/** The heatmap's cells and labels. */
export function heatmap(cells: Cell[], options: HeatmapOptions): SVGSVGElement | HTMLElement {
  const { width, locale, xUnit, yUnit, valueUnit } = options;
  const xs = [...new Set(cells.map((cell) => cell.x))];
  const ys = [...new Set(cells.map((cell) => cell.y))];
  const xFormat = tickFormat(xUnit, locale);
  const yFormat = tickFormat(yUnit, locale);
  const color = heatmapColor(cells, options);
  const marginLeft = marginFor(ys.map((y) => yFormat(y)));
  const cellWidth = (width - marginLeft - 8) / Math.max(1, xs.length);
  const cellHeight = cellWidth >= 30 ? 22 : 16;
  const [low, high] = color.domain;
  const dark = (cell: Cell) => cell.value !== null && (cell.value - low) / (high - low || 1) > 0.55;
  const label = (cell: Cell) =>
    valueText(cell.value, valueUnit, locale).replace("%", cellWidth < 40 ? "" : "%");
  const cellTitle = (cell: Cell) =>
    `${yFormat(cell.y)} · ${xFormat(cell.x)}: ${valueText(cell.value, valueUnit, locale)}`;
  return Plot.plot({
    document: chartDocument,
    width,
    height: ys.length * cellHeight + 44,
    marginLeft,
    marginRight: 8,
    marginTop: 28,
    padding: 0.04,
    x: {
      domain: xs,
      axis: "top",
      label: null,
      tickFormat: xFormat,
      ticks: xs.filter((_, i) => xs.length <= 14 || i % Math.ceil(xs.length / 14) === 0),
    },
    y: { domain: ys, label: null, tickFormat: yFormat },
    color,
    marks: [
      Plot.cell(cells, {
        x: "x",
        y: "y",
        fill: "value",
        title: cellTitle,
        ariaLabel: cellTitle,
        ariaDescription: "cell",
      }),
      cellWidth >= 26
        ? Plot.text(cells, {
            x: "x",
            y: "y",
            text: (cell: Cell) => (cell.value === null ? "" : label(cell)),
            fill: (cell: Cell) => (dark(cell) ? "white" : "#1e293b"),
            fontSize: cellWidth >= 40 ? 10 : 8.5,
            ariaDescription: "cell value",
            ariaHidden: "true",
          })
        : null,
    ],
  });
}

/** The discrete legend for a heatmap, drawn in SVG (no canvas). */
export function heatmapLegend(cells: Cell[], options: HeatmapOptions): SVGSVGElement | HTMLElement {
  return Plot.legend({
    document: chartDocument,
    color: heatmapColor(cells, options),
    width: Math.min(280, options.width - 16),
    tickFormat: tickFormat(options.valueUnit, options.locale),
  } as unknown as Plot.LegendOptions) as SVGSVGElement | HTMLElement;
}
