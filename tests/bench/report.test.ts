import { describe, expect, it } from "vitest";
import {
  groupPages,
  medianRun,
  renderMarkdown,
  type SizeReport,
  STAGES,
  type StageSummary,
  sourcesNote,
  summarize,
  targets,
} from "../../bench/report.ts";
import { customersFor } from "../../bench/shop.ts";
import { spans } from "../../bench/stage.ts";
import type { NodeResult } from "../../src/engine/results.ts";

describe("summarize", () => {
  it("takes the middle of an odd count and the mean of the middle two of an even one", () => {
    // sorted 1, 3, 8: median 3
    expect(summarize([8, 1, 3])).toEqual({ median: 3, min: 1, max: 8, runs: [8, 1, 3] });
    // sorted 2, 4, 6, 10: median (4 + 6) / 2 = 5
    expect(summarize([10, 2, 6, 4])).toMatchObject({ median: 5, min: 2, max: 10 });
    expect(summarize([])).toBeNull();
  });

  it("medianRun points at the run holding the median (the lower middle when even)", () => {
    expect(medianRun([30, 10, 20])).toBe(2); // 20 is run index 2
    expect(medianRun([40, 10, 30, 20])).toBe(3); // sorted 10, 20, 30, 40: lower middle 20, index 3
  });
});

describe("customersFor", () => {
  it("asks for orders / 2.9 customers", () => {
    expect(customersFor(1_000_000)).toBe(344_828); // 1e6 / 2.9 = 344,827.6
    expect(customersFor(10_000_000)).toBe(3_448_276); // 1e7 / 2.9 = 3,448,275.9
    expect(customersFor(1)).toBe(1);
  });
});

describe("groupPages", () => {
  it("folds a template's pages into one entry and keeps the others", () => {
    const groups = groupPages([
      { route: "/", gzipBytes: 100 },
      { route: "/campaigns/", gzipBytes: 50 },
      { route: "/campaigns/A/", gzipBytes: 10 },
      { route: "/campaigns/B/", gzipBytes: 30 },
      { route: "/campaigns/C/", gzipBytes: 20 },
      { route: "/lonely/x/", gzipBytes: 7 },
    ]);
    expect(groups).toEqual([
      { route: "/", count: 1, median: 100, max: 100 },
      { route: "/campaigns/", count: 1, median: 50, max: 50 },
      // 10, 20, 30: median 20, max 30
      { route: "/campaigns/*", count: 3, median: 20, max: 30 },
      { route: "/lonely/x/", count: 1, median: 7, max: 7 },
    ]);
    // An even count: median (10 + 21) / 2 = 15.5, shown as whole bytes, 16
    expect(
      groupPages([
        { route: "/c/a/", gzipBytes: 10 },
        { route: "/c/b/", gzipBytes: 21 },
      ]),
    ).toEqual([{ route: "/c/*", count: 2, median: 16, max: 21 }]);
  });
});

describe("sourcesNote", () => {
  it("lists the slowest tables, or says the ingest gave one total", () => {
    const source = (name: string, seconds: number) => ({ id: `source.huitou.shop.${name}`, seconds });
    expect(sourcesNote([source("customers", 1), source("orders", 4.25), source("reviews", 2)])).toBe(
      "orders 4.3 s, reviews 2.0 s, customers 1.0 s",
    );
    // 16.81 and 16.82 are one step's total, read a few milliseconds apart
    expect(sourcesNote([source("customers", 16.81), source("orders", 16.82)])).toBe(
      "2 tables load in one step of 16.8 s (no per-table time)",
    );
  });
});

describe("spans", () => {
  const node = (kind: NodeResult["kind"], startedAt: string, completedAt: string): NodeResult => ({
    id: `${kind}.x`,
    kind,
    name: "x",
    status: "success",
    startedAt,
    completedAt,
    executionTime: 0,
    rowsAffected: null,
    failures: null,
    message: "",
    error: undefined,
  });

  it("measures each phase from its first start to its last end", () => {
    const result = spans([
      node("seed", "2026-01-01T00:00:00.500Z", "2026-01-01T00:00:01.500Z"),
      node("model", "2026-01-01T00:00:01.000Z", "2026-01-01T00:00:04.000Z"),
      node("model", "2026-01-01T00:00:02.000Z", "2026-01-01T00:00:07.500Z"),
      node("test", "2026-01-01T00:00:08.000Z", "2026-01-01T00:00:08.250Z"),
    ]);
    // models (seeds with them): 00:00.500 to 00:07.500 = 7 s, not 1 + 6.5 summed; tests 0.25 s; no load
    expect(result).toEqual({ models: 7, tests: 0.25 });
  });
});

function size(overrides: Partial<SizeReport>): Omit<SizeReport, "targets"> {
  const stage = (seconds: number, rss: number): StageSummary => ({
    seconds: summarize([seconds]) as NonNullable<ReturnType<typeof summarize>>,
    peakRssMb: summarize([rss]) as NonNullable<ReturnType<typeof summarize>>,
    loadAverage: [1.5],
  });
  return {
    date: "2026-11-22T23:40:00Z",
    requestedOrders: 10_000_000,
    orders: 9_900_000,
    customers: 3_448_276,
    buyers: 2_700_000,
    seed: 42,
    runs: 1,
    stages: Object.fromEntries(STAGES.map((name) => [name, stage(10, 1000)])) as SizeReport["stages"],
    ratios: {
      loadVsReadCsv: summarize([1.5]),
      modelsVsScan: summarize([20]),
      clvSecondsPerMillionBuyers: summarize([3]),
      siteSeconds: summarize([25]),
    },
    pages: [{ route: "/", bytes: 1000, gzipBytes: 300 }],
    slowest: [{ id: "model.huitou.customer_value", seconds: 12.5 }],
    sources: [{ id: "source.huitou.shop.orders", seconds: 4 }],
    buildPhases: { load: 20, models: 50, tests: 5, site: 25 },
    fromBuild: [],
    memoryLimit: null,
    unfinished: null,
    ...overrides,
  };
}

describe("targets", () => {
  it("judges load < 2x, models < 15x and, at 10 million orders, the build < 90 s and < 6 GB", () => {
    const build = {
      seconds: summarize([100]),
      peakRssMb: summarize([5000]),
      loadAverage: [2],
    } as StageSummary;
    const base = size({});
    const result = targets({ ...base, stages: { ...base.stages, build } });
    expect(result.map((target) => [target.name, target.met])).toEqual([
      ["load vs bare read_csv", true], // 1.5 < 2
      ["models vs one aggregate scan", false], // 20 >= 15
      ["full build (10M orders)", false], // 100 s >= 90 s although 5000 MB < 6144 MB
    ]);
    // A miss says where the time goes; a met target says nothing.
    expect(result[0]?.note).toBe("");
    expect(result[1]?.note).toBe("customer_value 12.5 s");
    expect(result[2]?.note).toBe("load 20.0 s, models 50.0 s, tests 5.0 s, site 25.0 s");
    // 5000 MB / 1024 = 4.88 GB
    expect(result[2]?.measured).toBe("100.0 s, 4.88 GB");
  });

  it("fails the build target on memory alone, and leaves it out below 10 million orders", () => {
    const heavy = {
      seconds: summarize([60]),
      peakRssMb: summarize([7000]),
      loadAverage: [2],
    } as StageSummary;
    const base = size({});
    expect(targets({ ...base, stages: { ...base.stages, build: heavy } }).at(-1)?.met).toBe(false);
    expect(targets(size({ requestedOrders: 1_000_000 })).map((target) => target.name)).toEqual([
      "load vs bare read_csv",
      "models vs one aggregate scan",
    ]);
  });
});

describe("renderMarkdown", () => {
  it("writes the machine, every stage, every ratio and the targets", () => {
    const report = size({});
    const markdown = renderMarkdown({
      machine: { nproc: 2, memoryGb: 23.5, cpu: "Test CPU", node: "v24.21.0", duckdb: "v1.5.6" },
      sizes: { "10000000": { ...report, targets: targets(report) } },
    });
    expect(markdown).toContain(
      "Machine: 2 cores (nproc), 23.5 GB memory, Test CPU; Node v24.21.0, DuckDB v1.5.6.",
    );
    expect(markdown).toContain("## 9,900,000 orders (requested 10,000,000)");
    expect(markdown).toContain("| data tests | 10.00 (10.00–10.00) | 1000 (1000–1000) | 1.5 |");
    expect(markdown).toContain(
      "| all models / one aggregate scan of orders by customer | 20.00 (20.00–20.00) |",
    );
    expect(markdown).toContain(
      "| models vs one aggregate scan | < 15x | 20.0x | **no** | customer_value 12.5 s |",
    );
  });
});
