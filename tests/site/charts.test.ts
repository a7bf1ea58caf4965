/**
 * Chart snapshots: each chart function's SVG, normalized (numbers to one decimal, generated
 * ids renumbered) and compared with the committed file in tests/site/snapshots/; a mismatch
 * writes `<name>-changed.svg` beside it for review. Plus what every chart must have whatever
 * its look: an accessible name and description, labelled marks, no inline styles.
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { barChart } from "../../src/site/charts/barChart.ts";
import { heatmapLegend } from "../../src/site/charts/heatmap.ts";
import { intervalChart } from "../../src/site/charts/intervalChart.ts";
import { lineChart } from "../../src/site/charts/lineChart.ts";
import {
  retentionCells,
  retentionHeatmap,
  retentionHeatmapOptions,
} from "../../src/site/charts/retentionHeatmap.ts";
import { toDate } from "../../src/site/charts/scales.ts";
import { accessibleSvg, legendSvg, normalizeSvg } from "../../src/site/charts/svg.ts";

const SNAPSHOTS = new URL("./snapshots/", import.meta.url);

async function matchSnapshot(name: string, svg: string): Promise<void> {
  const actual = normalizeSvg(svg);
  const expected = new URL(`${name}.svg`, SNAPSHOTS);
  if (!existsSync(expected)) {
    // A new chart: write its snapshot for review and fail, so a missing file never passes.
    await writeFile(expected, actual);
    throw new Error(`no snapshot for ${name}: wrote ${expected.pathname}; review it and run again`);
  }
  const committed = await readFile(expected, "utf8");
  if (committed !== actual) {
    await writeFile(new URL(`${name}-changed.svg`, SNAPSHOTS), actual);
    throw new Error(`${name}.svg differs from the snapshot: see ${name}-changed.svg`);
  }
}

const cohorts = [
  { cohort_month: "2024-01-01", months_since_first: 0, retention_rate: 1 },
  { cohort_month: "2024-01-01", months_since_first: 1, retention_rate: 0.2 },
  { cohort_month: "2024-01-01", months_since_first: 2, retention_rate: 0.1 },
  { cohort_month: "2024-02-01", months_since_first: 0, retention_rate: 1 },
  { cohort_month: "2024-02-01", months_since_first: 1, retention_rate: 0.15 },
  { cohort_month: "2024-03-01", months_since_first: 0, retention_rate: 1 },
];

const monthly = ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"].flatMap((month, i) => [
  { x: toDate(month), y: 0.1 + 0.05 * i, series: "复购率" },
  { x: toDate(month), y: 0.4 - 0.02 * i, series: "回购率" },
]);

const labels = { id: "chart", title: "标题 <t>", description: "说明 & 描述" };

const charts: Record<string, () => string> = {
  retentionHeatmap: () => accessibleSvg(retentionHeatmap(cohorts, { width: 480, locale: "zh" }), labels),
  lineChart: () =>
    accessibleSvg(lineChart(monthly, { width: 480, locale: "zh", xUnit: "month", yUnit: "percent" }), labels),
  barChart: () =>
    accessibleSvg(
      barChart(
        [
          { x: "女装", y: 123456789, series: "收入" },
          { x: "美妆", y: 60000000, series: "收入" },
        ],
        { width: 400, locale: "zh", xUnit: "text", yUnit: "currency", horizontal: true },
      ),
      labels,
    ),
  intervalChart: () =>
    accessibleSvg(
      intervalChart(
        [
          { label: "C1", value: 0.04, low: 0.014, high: 0.066 },
          { label: "C2", value: 0.005, low: -0.024, high: 0.034 },
        ],
        { width: 400, locale: "en", unit: "pp" },
      ),
      labels,
    ),
};

describe("chart snapshots", () => {
  for (const [name, draw] of Object.entries(charts)) {
    it(`${name} matches its snapshot`, async () => {
      await matchSnapshot(name, draw());
    });

    it(`${name} is an accessible SVG with labelled marks and no inline styles`, () => {
      const svg = draw();
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg).toContain('role="graphics-document"');
      expect(svg).toContain('aria-labelledby="chart-title chart-desc"');
      // The title and description are escaped text.
      expect(svg).toContain(
        '<title id="chart-title">标题 &lt;t&gt;</title><desc id="chart-desc">说明 &amp; 描述</desc>',
      );
      expect(svg).not.toMatch(/\sstyle=|<style/);
      // Every mark group carries a description of what it draws.
      const groups =
        svg.match(/<g aria-label="[^"]+" aria-description="[^"]+"|<g [^>]*aria-description="[^"]+"/g) ?? [];
      expect(groups.length).toBeGreaterThan(0);
    });
  }

  it("colours the retention triangle from month 1 (month 0 is always 100%)", () => {
    const options = retentionHeatmapOptions(retentionCells(cohorts), { width: 480, locale: "zh" });
    // Months 1.. hold 0.2, 0.1, 0.15 → the domain is [0, 0.2].
    expect(options.domain).toEqual([0, 0.2]);
    const legend = legendSvg(heatmapLegend(retentionCells(cohorts), options));
    expect(legend).toContain('aria-hidden="true"');
    // Plot quantizes at nice thresholds: d3.ticks(0, 0.2, 6) steps by 0.05, so 5%, 10%, 15%.
    expect(legend.match(/>[^<]*%</g)).toEqual([">5.0%<", ">10.0%<", ">15.0%<"]);
    expect(legend).not.toContain("<canvas");
  });

  it("normalizes numbers and generated ids", () => {
    expect(
      normalizeSvg('<svg class="plot-d6a7b5"><g id="c7-title" x="12.3456"/><text>1.23亿</text></svg>'),
    ).toBe('<svg class="plot">\n<g id="id0" x="12.3"/>\n<text>1.23亿</text>\n</svg>');
  });
});
