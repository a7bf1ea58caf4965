/**
 * Runs `npm run bench`'s script on a tiny shop (about 1,500 orders, one run) into a temporary
 * folder and checks the report's shape: every stage, every ratio, the targets, the markdown;
 * then `--stages build` on the same cache, which reads the stages off the full build.
 * No figure is judged: timing belongs to the benchmark itself.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RATIOS, type Results, STAGES } from "../../bench/report.ts";
import { benchProject } from "../../bench/shop.ts";

const dir = mkdtempSync(join(tmpdir(), "huitou-bench-test-"));
let results: Results;
let markdown: string;
let buildOnly: Results;
let stopped: Results;

const bench = (out: string, ...args: string[]) => {
  execFileSync(
    process.execPath,
    [
      join(import.meta.dirname, "../../bench/run.ts"),
      ...["--orders", "1500", "--runs", "1", "--cache", join(dir, "cache"), "--out", join(dir, out), ...args],
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  return JSON.parse(readFileSync(join(dir, out, "results.json"), "utf8")) as Results;
};

beforeAll(() => {
  results = bench("out");
  markdown = readFileSync(join(dir, "out", "results.md"), "utf8");
  buildOnly = bench("build-only", "--stages", "build", "--memory-limit", "1GB");
  // One second is too short for any build: the stage is stopped and the report says so.
  stopped = bench("stopped", "--stages", "build", "--timeout", "1");
}, 600_000);

afterAll(async () => {
  rmSync(await benchProject(join(import.meta.dirname, "../.."), join(dir, "cache")), {
    recursive: true,
    force: true,
  });
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run bench on a tiny shop", () => {
  it("describes the machine", () => {
    expect(results.machine.nproc).toBeGreaterThanOrEqual(1);
    expect(results.machine.memoryGb).toBeGreaterThan(0);
    expect(results.machine.node).toMatch(/^v24\./);
    expect(results.machine.duckdb).toMatch(/^v\d+\.\d+/);
  });

  it("measures every stage once, with a peak RSS, and every ratio", () => {
    const size = results.sizes["1500"];
    expect(size?.requestedOrders).toBe(1500);
    expect(size?.runs).toBe(1);
    // 1500 / 2.9 = 517.2: 517 CRM customers asked for
    expect(size?.customers).toBe(517);
    expect(size?.orders).toBeGreaterThan(0);
    for (const stage of STAGES) {
      const summary = size?.stages[stage];
      expect(summary, stage).not.toBeNull();
      expect(summary?.seconds.runs, stage).toHaveLength(1);
      expect(summary?.seconds.median, stage).toBeGreaterThan(0);
      // A Node process with DuckDB loaded holds well over 10 MB.
      expect(summary?.peakRssMb.median, stage).toBeGreaterThan(10);
      expect(summary?.loadAverage, stage).toHaveLength(1);
    }
    for (const ratio of RATIOS) expect(size?.ratios[ratio]?.median, ratio).toBeGreaterThan(0);
    expect(size?.buyers).toBeGreaterThan(0);
    expect(size?.pages.length).toBeGreaterThan(0);
    for (const page of size?.pages ?? []) expect(page.gzipBytes).toBeLessThan(page.bytes);
    expect(Object.keys(size?.buildPhases ?? {})).toEqual(["load", "models", "tests", "site"]);
  });

  it("judges the two ratio targets (the build target is for 10 million orders only)", () => {
    const names = results.sizes["1500"]?.targets.map((target) => target.name);
    expect(names).toEqual(["load vs bare read_csv", "models vs one aggregate scan"]);
  });

  it("writes the markdown table, with the warehouse in the bench's own project folder", async () => {
    for (const label of [
      "generate (demo shop, CSV)",
      "load (sources)",
      "CLV fit",
      "data tests",
      "full build",
    ]) {
      expect(markdown).toContain(label);
    }
    expect(markdown).toContain("load / bare read_csv of the same files");
    expect(markdown).toContain("| target | limit | measured | met | where the time goes |");
    const project = await benchProject(join(import.meta.dirname, "../.."), join(dir, "cache"));
    expect(existsSync(join(project, "target", "warehouse.duckdb"))).toBe(true);
  });

  it("with --stages build (and a memory cap), reads load, models, CLV and tests off the build and still gives every ratio", () => {
    const size = buildOnly.sizes["1500"];
    expect(size?.fromBuild).toEqual(["load", "models", "clv", "tests"]);
    expect(size?.memoryLimit).toBe("1GB");
    expect(results.sizes["1500"]?.memoryLimit).toBeNull();
    expect(size?.stages.generate).toBeNull();
    for (const stage of ["load", "models", "clv", "tests", "site", "build"] as const) {
      expect(size?.stages[stage]?.seconds.runs, stage).toHaveLength(1);
    }
    for (const ratio of RATIOS) expect(size?.ratios[ratio]?.median, ratio).toBeGreaterThan(0);
    // The slowest nodes are models or seeds, not the source tables the build also loaded.
    expect(size?.slowest.every((node) => !node.id.startsWith("source."))).toBe(true);
  });

  it("with --timeout, reports the stopped stage instead of figures", () => {
    const size = stopped.sizes["1500"];
    expect(size?.unfinished?.stage).toBe("build");
    expect(size?.unfinished?.afterSeconds).toBeGreaterThanOrEqual(1);
    expect(size?.stages.build).toBeNull();
    // Below 10 million orders there is no build target to miss.
    expect(size?.targets).toEqual([]);
  });

  it("with --render-only, rewrites the same results.md from results.json", () => {
    execFileSync(process.execPath, [
      join(import.meta.dirname, "../../bench/run.ts"),
      ...["--render-only", "--out", join(dir, "out")],
    ]);
    expect(readFileSync(join(dir, "out", "results.md"), "utf8")).toBe(markdown);
  });
});
