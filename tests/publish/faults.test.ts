/**
 * Fault tests of `huitou build`: a build killed with SIGKILL in each stage in turn (sources,
 * seeds, models, data tests, site) leaves the published warehouse and site byte-identical to
 * before (every file hashed), and the next build succeeds and cleans up after the dead one.
 * A failing error-severity data test does not publish either: exit 1, both kept.
 */
import { existsSync } from "node:fs";
import { cp, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashFile, hashTree } from "./hashTree.ts";
import { build, FIXTURES, removeProjects, shopProject } from "./shopProject.ts";

let dir: string;

/** What a reader of the published output sees: the warehouse file and every file of the site. */
async function published(): Promise<{ warehouse: string; site: Record<string, string> }> {
  return {
    warehouse: await hashFile(join(dir, "target", "warehouse.duckdb")),
    site: await hashTree(join(dir, "dist")),
  };
}

/** Files beside the published ones that a build leaves only while it runs. */
async function scratch(): Promise<string[]> {
  const names = [...(await readdir(dir)), ...(await readdir(join(dir, "target")))];
  return names.filter((name) => /^dist\.|\.next\.|\.lock$/.test(name)).sort();
}

beforeAll(async () => {
  dir = await shopProject();
  const first = await build(dir);
  expect(first.stderr).toBe("");
  expect(first.code).toBe(0);
}, 180_000);

afterAll(removeProjects);

describe("a build killed in each stage", () => {
  // The first line each stage prints when it is under way (plain log lines, as in CI).
  const stages: [string, RegExp][] = [
    ["sources", /^ok\s+source\s/],
    ["seeds", /^ok\s+seed\s/],
    ["models", /^ok\s+model\s/],
    ["tests", /^(pass|warn|FAIL)\s+test\s/],
    ["site", /^site\s+rendering/],
  ];

  for (const [stage, line] of stages) {
    it(`killed during ${stage}: the published warehouse and site are unchanged`, async () => {
      const before = await published();
      const killed = await build(dir, line);
      expect(killed.signal).toBe("SIGKILL");
      expect(killed.stdout.some((text) => line.test(text))).toBe(true);
      expect(await published()).toEqual(before);
    }, 180_000);
  }

  it("the next build succeeds, publishes, and removes what the killed ones left", async () => {
    const before = await published();
    // The killed builds left their scratch: the next warehouse and lock, the staged site.
    expect((await scratch()).length).toBeGreaterThan(0);
    const next = await build(dir);
    expect([next.code, next.stderr]).toEqual([0, ""]);
    expect(next.stdout.at(-1)).toMatch(/^Done in .*warehouse updated/);
    const after = await published();
    expect(after.site["huitou-run.json"]).toBeDefined();
    // Same data, a new run: the site was published again (its run file has the new run's time).
    expect(after.site["huitou-run.json"]).not.toBe(before.site["huitou-run.json"]);
    expect(await scratch()).toEqual([]);
    expect(existsSync(join(dir, "target", "warehouse.next.duckdb"))).toBe(false);
  }, 180_000);
});

describe("a failing error-severity data test", () => {
  it("exits 1 with the reason and keeps the published warehouse and site", async () => {
    const before = await published();
    await cp(join(FIXTURES, "publish-failing-test"), dir, { recursive: true });
    const failed = await build(dir);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^error\[test-failed\] tests\/no_revenue_above_100\.sql/);
    // The site step never ran: the gate is before it.
    expect(failed.stdout.some((text) => /^site\s/.test(text))).toBe(false);
    expect(failed.stdout.at(-1)).toMatch(/^Failed in .*the previous warehouse is unchanged$/);
    expect(await published()).toEqual(before);
    expect(await scratch()).toEqual([]);
  }, 180_000);
});
