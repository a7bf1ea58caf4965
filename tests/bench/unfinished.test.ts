import { describe, expect, it } from "vitest";
import { targets } from "../../bench/report.ts";
import { peakRssOf, readProgress } from "../../bench/unfinished.ts";

// Lines as bench/stage.ts writes them (seconds since the stage began, then the engine's line).
const LOG = [
  "   63.7s customers: 3,392,542 rows loaded, 0 rejected (customers.csv)",
  "  151.4s ok     source orders  9874998 rows loaded, 0 rejected (orders.csv) (114.02s)",
  "  200.1s ok     model  int_orders  table built: 9874998 rows (12.50s)",
  "  210.0s 12/64 done; running customers_summary, int_purchase_items",
  "  264.8s ok     model  campaign_uplift  table built: 204 rows (0.38s)",
  "  275.5s ok     model  customers_summary  table built: 3392542 rows (69.59s)",
  "  275.5s 30/64 done; running int_churn_channel_months, int_clv_inputs",
].join("\n");

describe("readProgress", () => {
  it("ranks the finished nodes by their own time and keeps the last progress line", () => {
    expect(readProgress(LOG, 3)).toEqual({
      // 114.02 > 69.59 > 12.50 > 0.38
      slowest: [
        { id: "source.orders", seconds: 114.02 },
        { id: "model.customers_summary", seconds: 69.59 },
        { id: "model.int_orders", seconds: 12.5 },
      ],
      progress: "30/64 done; running int_churn_channel_months, int_clv_inputs",
    });
    expect(readProgress("")).toEqual({ slowest: [], progress: "" });
  });
});

describe("peakRssOf", () => {
  it("reads VmHWM in kB as MB", () => {
    // 17,588,072 kB / 1024 = 17,175.85 MB
    expect(peakRssOf("Name:\tnode\nVmPeak:\t 1 kB\nVmHWM:\t17588072 kB\nVmRSS:\t 2 kB\n")).toBeCloseTo(
      17175.85,
      2,
    );
    expect(peakRssOf("Name:\tnode\n")).toBe(0);
  });
});

describe("a build stopped at --timeout", () => {
  it("misses the 10M build target and says how far it got", () => {
    const stopped = {
      stage: "build",
      afterSeconds: 600.4,
      peakRssMb: 6656, // 6656 / 1024 = 6.5 GB
      loadAverage: 3.2,
      ...readProgress(LOG, 2),
    };
    const [target] = targets({
      date: "2026-11-22T23:50:00Z",
      requestedOrders: 10_000_000,
      orders: 9_874_998,
      customers: 3_448_276,
      buyers: null,
      seed: 42,
      runs: 1,
      stages: { generate: null, load: null, models: null, clv: null, tests: null, site: null, build: null },
      ratios: {
        loadVsReadCsv: null,
        modelsVsScan: null,
        clvSecondsPerMillionBuyers: null,
        siteSeconds: null,
      },
      pages: [],
      slowest: [],
      sources: [],
      buildPhases: {},
      fromBuild: [],
      memoryLimit: "5GB",
      unfinished: stopped,
    });
    expect(target).toEqual({
      name: "full build (10M orders)",
      limit: "< 90 s and < 6 GB",
      measured: "build stopped unfinished after 600 s, 6.50 GB so far",
      met: false,
      note: "30/64 done; running int_churn_channel_months, int_clv_inputs; slowest finished: orders 114.0 s, customers_summary 69.6 s",
    });
  });
});
