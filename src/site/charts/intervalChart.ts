/**
 * Estimates with confidence intervals on one axis (campaign uplift): a row per item, a dot at
 * the estimate, a bar from the interval's low to its high end, a rule at zero. Intervals that
 * exclude zero are coloured, the rest grey: significance is seen, not read.
 */
import * as Plot from "@observablehq/plot";
import type { Unit } from "../units.ts";
import { fitLabel, marginFor } from "./layout.ts";
import { type ChartOptions, tickFormat, valueText } from "./scales.ts";
import { chartDocument } from "./svg.ts";

export interface Estimate {
  label: string;
  value: number | null;
  low: number | null;
  high: number | null;
}

export function intervalChart(
  estimates: Estimate[],
  options: ChartOptions & { unit: Unit },
): SVGSVGElement | HTMLElement {
  const { width, locale, unit } = options;
  const data = estimates.filter((estimate) => estimate.value !== null);
  const format = tickFormat(unit, locale);
  const significant = (estimate: Estimate) =>
    estimate.low !== null && estimate.high !== null && (estimate.low > 0 || estimate.high < 0);
  const title = (estimate: Estimate) =>
    `${estimate.label}: ${valueText(estimate.value, unit, locale)} (95% CI ${valueText(estimate.low, unit, locale)} … ${valueText(estimate.high, unit, locale)})`;
  const marginLeft = Math.min(width * 0.42, marginFor(data.map((estimate) => estimate.label)));
  return Plot.plot({
    document: chartDocument,
    width,
    height: Math.max(110, data.length * 30 + 48),
    marginLeft,
    marginRight: 20,
    y: {
      domain: data.map((estimate) => estimate.label),
      label: null,
      tickFormat: (label: string) => fitLabel(label, marginLeft - 10),
    },
    x: {
      grid: true,
      nice: true,
      tickFormat: format,
      label: null,
      ticks: Math.max(2, Math.floor(width / 110)),
    },
    marks: [
      Plot.ruleX([0], { stroke: "currentColor", strokeOpacity: 0.6, ariaDescription: "zero" }),
      Plot.ruleY(data, {
        y: "label",
        x1: (estimate: Estimate) => estimate.low ?? estimate.value,
        x2: (estimate: Estimate) => estimate.high ?? estimate.value,
        stroke: (estimate: Estimate) => (significant(estimate) ? "#2563eb" : "#94a3b8"),
        strokeWidth: 6,
        strokeOpacity: 0.45,
        ariaDescription: "confidence interval",
      }),
      Plot.dot(data, {
        y: "label",
        x: "value",
        r: 4.5,
        fill: (estimate: Estimate) => (significant(estimate) ? "#2563eb" : "#64748b"),
        title,
        ariaLabel: title,
        ariaDescription: "estimate",
      }),
    ],
  });
}
