/**
 * The nightly workflow's safety, read from the YAML: the site is uploaded and deployed only
 * after `huitou build` succeeded (a failing build skips every later step and the deploy job).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "./shopProject.ts";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  "continue-on-error"?: boolean;
  with?: Record<string, unknown>;
}

const workflow = parse(await readFile(join(ROOT, ".github", "workflows", "nightly.yml"), "utf8"));
const steps: Step[] = workflow.jobs.build.steps;
const index = (test: (step: Step) => boolean) => steps.findIndex(test);

describe("nightly.yml", () => {
  it("runs on a schedule and by hand", () => {
    expect(workflow.on.schedule[0].cron).toMatch(/^\d+ \d+ \* \* \*$/);
    expect("workflow_dispatch" in workflow.on).toBe(true);
  });

  it("builds from the shop's data, never the demo", () => {
    const build = steps[index((step) => /huitou build/.test(step.run ?? ""))]!;
    expect(build.run).toMatch(/^npx huitou build --data \S+/);
    expect(build.run).not.toContain("--demo");
  });

  it("uploads the site only after the build, with nothing letting a failure through", () => {
    const build = index((step) => /huitou build/.test(step.run ?? ""));
    const upload = index((step) => step.uses?.startsWith("actions/upload-pages-artifact") === true);
    expect(upload).toBeGreaterThan(build);
    expect(steps[upload]!.if).toBeUndefined();
    for (const step of steps.slice(0, upload + 1)) expect(step["continue-on-error"]).toBeUndefined();
    // Steps before the upload that run even after a failure may only keep diagnostics.
    for (const step of steps.slice(0, upload).filter((one) => one.if !== undefined)) {
      expect(step.uses?.startsWith("actions/upload-artifact") || step.if?.includes("cache-hit")).toBe(true);
    }
  });

  it("deploys in a job that needs the build, with the Pages permissions only there", () => {
    expect(workflow.jobs.deploy.needs).toBe("build");
    expect(workflow.jobs.deploy.if).toBeUndefined();
    expect(workflow.jobs.deploy.permissions).toEqual({ pages: "write", "id-token": "write" });
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(workflow.jobs.deploy.steps.map((step: Step) => step.uses)).toEqual(["actions/deploy-pages@v4"]);
  });

  it("caches node_modules on the lock file and installs only on a miss", () => {
    const cache = steps[index((step) => step.uses?.startsWith("actions/cache") === true)]!;
    expect(cache.with?.path).toBe("node_modules");
    expect(String(cache.with?.key)).toContain("hashFiles('package-lock.json')");
    const install = steps[index((step) => /npm (ci|install)/.test(step.run ?? ""))]!;
    expect(install.if).toBe("steps.modules.outputs.cache-hit != 'true'");
  });
});
