/**
 * The chart components of a page (Evidence's LineChart, BarChart, AreaChart, Heatmap, and our
 * UpliftChart for estimates with intervals): props and rows in, a ChartNode out — the chart
 * drawn by its chart function at two widths (desktop and phone), a title and a description
 * for screen readers, the data table alternative, and the definitions of its measures.
 */
import type { Row } from "../../engine/adapters/adapter.ts";
import { areaChart } from "../charts/areaChart.ts";
import { barChart } from "../charts/barChart.ts";
import { heatmap, heatmapLegend } from "../charts/heatmap.ts";
import { intervalChart } from "../charts/intervalChart.ts";
import { lineChart } from "../charts/lineChart.ts";
import { retentionCells, retentionHeatmap, retentionHeatmapOptions } from "../charts/retentionHeatmap.ts";
import { isTemporal, PALETTE, valueText } from "../charts/scales.ts";
import { type Point, seriesNames, toPoints } from "../charts/series.ts";
import { accessibleSvg, legendSvg } from "../charts/svg.ts";
import { describeColumn, sourceTable } from "../compile/columns.ts";
import { flag, list, type Props, text } from "../compile/props.ts";
import { type PageEnv, pageError, type QueryData } from "../compile/scope.ts";
import { ui, valueLabel } from "../i18n.ts";
import type { ChartNode, Locale, TableColumn } from "../types.ts";
import { type ColumnSpec, tableData } from "./dataTable.ts";

export const CHARTS = new Set([
  "LineChart",
  "BarChart",
  "AreaChart",
  "Heatmap",
  "UpliftChart",
  "RetentionHeatmap",
]);

/**
 * Drawing width of a full-width chart, and of the phone drawing: a 375 px phone leaves 320 px
 * inside a card, so the phone drawing shows its text at the size it was set.
 */
export const WIDE = 760;
const NARROW = 320;

const KIND_WORDS: Record<string, [string, string]> = {
  LineChart: ["折线图", "Line chart"],
  BarChart: ["柱状图", "Bar chart"],
  AreaChart: ["面积图", "Area chart"],
  Heatmap: ["热力图", "Heatmap"],
  RetentionHeatmap: ["同期群留存热力图", "Cohort retention heatmap"],
  UpliftChart: ["区间图", "Interval chart"],
};

type Draw = (width: number) => Element;

/**
 * `width` is the drawing width of the slot (narrower inside a Grid); below 560 px of screen the
 * page shows the phone drawing instead.
 */
export function chart(
  component: string,
  props: Props,
  data: QueryData,
  env: PageEnv,
  at: { line: number; column: number },
  sql?: string,
  width = WIDE,
): ChartNode {
  const model = sourceTable(sql);
  const describe = (column: string, fmt?: string) => {
    if (!data.columns.some((c) => c.name === column) && data.rows.length > 0) {
      throw pageError(
        env,
        `<${component}> names the column '${column}', which query '${data.name}' does not return`,
        at,
      );
    }
    return describeColumn(column, data, env, { fmt }, model);
  };
  // Coded values (segments, roles, groups) read by their display names in marks and legends.
  const rows = data.rows.map((row) => {
    const out: Row = { ...row };
    for (const [key, value] of Object.entries(row))
      if (typeof value === "string") out[key] = valueLabel(key, value, env.locale);
    return out;
  });
  let columns: TableColumn[] = [];
  let draw: Draw | undefined;
  let legend: ((width: number) => Element) | undefined;
  let summary = "";
  let swatchNames: string[] = [];

  if (component === "Heatmap" || component === "RetentionHeatmap") {
    const x = text(props, "x") ?? (component === "RetentionHeatmap" ? "months_since_first" : "");
    const y = text(props, "y") ?? (component === "RetentionHeatmap" ? "cohort_month" : "");
    const value = text(props, "value") ?? (component === "RetentionHeatmap" ? "retention_rate" : "");
    const xc = describe(x, text(props, "xFmt"));
    const yc = describe(y, text(props, "yFmt"));
    const vc = describe(value, text(props, "valueFmt") ?? text(props, "fmt"));
    columns = [yc, xc, vc];
    const cells = rows.map((row) => ({
      x: row[x],
      y: row[y],
      value: row[value] === null ? null : Number(row[value]),
    }));
    const options = {
      locale: env.locale,
      xUnit: xc.unit === "text" ? ("text" as const) : xc.unit,
      yUnit: yc.unit,
      valueUnit: vc.unit,
    };
    const measure = value as "retention_rate" | "revenue_retention";
    draw =
      component === "RetentionHeatmap"
        ? (width) => retentionHeatmap(rows, { width, locale: env.locale, measure })
        : (width) => heatmap(cells, { ...options, width });
    legend =
      component === "RetentionHeatmap"
        ? (width) =>
            heatmapLegend(
              cells,
              retentionHeatmapOptions(retentionCells(rows, measure), { width, locale: env.locale, measure }),
            )
        : (width) => heatmapLegend(cells, { ...options, width });
    summary = rangeSentence(
      vc,
      cells.map((cell) => cell.value),
      env.locale,
    );
  } else if (component === "UpliftChart") {
    const label = text(props, "y") ?? text(props, "label") ?? "";
    const x = text(props, "x") ?? "uplift_abs";
    const low = text(props, "low") ?? "ci_low";
    const high = text(props, "high") ?? "ci_high";
    const xc = describe(x, text(props, "fmt"));
    columns = [describe(label), xc, describe(low, text(props, "fmt")), describe(high, text(props, "fmt"))];
    const estimates = rows.map((row) => ({
      label: String(row[label] ?? "—"),
      value: numberOrNull(row[x]),
      low: numberOrNull(row[low]),
      high: numberOrNull(row[high]),
    }));
    draw = (width) => intervalChart(estimates, { width, locale: env.locale, unit: xc.unit });
    summary = rangeSentence(
      xc,
      estimates.map((estimate) => estimate.value),
      env.locale,
    );
  } else {
    const x = text(props, "x") ?? data.columns[0]?.name ?? "";
    const ys = list(props, "y");
    if (ys.length === 0) throw pageError(env, `<${component}> needs y=column`, at);
    const series = text(props, "series");
    const xc = describe(x, text(props, "xFmt"));
    const ycs = ys.map((y) => describe(y, text(props, "yFmt") ?? text(props, "fmt")));
    columns = [xc, ...(series ? [describe(series)] : []), ...ycs];
    const yUnit = ycs[0]!.unit;
    const points: Point[] = toPoints(rows, {
      x,
      y: ys,
      series,
      yLabels: Object.fromEntries(ycs.map((column) => [column.name, column.label])),
      temporal: isTemporal(xc.unit),
    });
    swatchNames = series || ys.length > 1 ? seriesNames(points) : [];
    const base = { locale: env.locale, xUnit: xc.unit, yUnit };
    if (component === "LineChart") draw = (width) => lineChart(points, { ...base, width });
    else if (component === "AreaChart") draw = (width) => areaChart(points, { ...base, width });
    else {
      const horizontal = flag(props, "swapXY");
      const grouped = text(props, "type") === "grouped";
      draw = (width) => barChart(points, { ...base, width, horizontal, grouped });
    }
    summary = rangeSentence(
      ycs[0]!,
      points.map((point) => point.y),
      env.locale,
    );
  }

  const title = text(props, "title") ?? columns[columns.length - 1]?.label ?? component;
  const tableSpecs: ColumnSpec[] = columns.map((column) => ({
    id: column.name,
    title: column.label,
    fmt: column.unit,
  }));
  const table = tableData(data, tableSpecs, env, { name: text(props, "downloadName") ?? data.name, sql });
  const node: ChartNode = {
    kind: "chart",
    title,
    subtitle: text(props, "subtitle"),
    svg: "",
    table,
    definitions: columns.flatMap((column) => (column.definition ? [column.definition] : [])),
  };
  if (rows.length === 0 || !draw) {
    node.empty = data.missing
      ? ui("missingTable", env.locale, { table: data.missing })
      : ui("noData", env.locale);
    return node;
  }
  const kind = KIND_WORDS[component] ?? [component, component];
  const description = `${env.locale === "zh" ? kind[0] : kind[1]}: ${title}. ${summary}`;
  const id = env.nextId();
  node.svg = accessibleSvg(draw(width), { id, title, description });
  if (width > NARROW) node.svgNarrow = accessibleSvg(draw(NARROW), { id: `${id}n`, title, description });
  if (legend) node.legend = legendSvg(legend(width));
  if (swatchNames.length > 1)
    node.swatches = swatchNames.map((label, i) => ({ label, color: PALETTE[i % PALETTE.length]! }));
  return node;
}

function numberOrNull(value: Row[string] | undefined): number | null {
  return value === null || value === undefined || value === "" ? null : Number(value);
}

/** "From 12.3% to 25.4%, 24 values." in the locale, for a chart's description. */
function rangeSentence(column: TableColumn, values: (number | null)[], locale: Locale): string {
  const defined = values.filter((value): value is number => value !== null && Number.isFinite(value));
  if (defined.length === 0) return "";
  const low = valueText(Math.min(...defined), column.unit, locale);
  const high = valueText(Math.max(...defined), column.unit, locale);
  return locale === "zh"
    ? `${column.label}：${defined.length} 个值，最低 ${low}，最高 ${high}。`
    : `${column.label}: ${defined.length} values, from ${low} to ${high}.`;
}
