/** The small trend line of a KPI tile: no axes, the last point marked. Decorative (aria-hidden): the tile states the value. */
import * as Plot from "@observablehq/plot";
import type { Point } from "./series.ts";
import { chartDocument } from "./svg.ts";

export function sparkline(
  points: Point[],
  options: { width?: number; height?: number } = {},
): SVGSVGElement | HTMLElement {
  const defined = points.filter((point) => point.y !== null);
  return Plot.plot({
    document: chartDocument,
    width: options.width ?? 120,
    height: options.height ?? 32,
    margin: 3,
    axis: null,
    x: { type: defined[0]?.x instanceof Date ? "utc" : "linear" },
    marks: [
      Plot.lineY(defined, {
        x: "x",
        y: "y",
        stroke: "currentColor",
        strokeWidth: 1.5,
        ariaDescription: "trend",
      }),
      Plot.dot(defined.slice(-1), {
        x: "x",
        y: "y",
        fill: "currentColor",
        r: 2.5,
        ariaDescription: "latest",
      }),
    ],
  });
}
