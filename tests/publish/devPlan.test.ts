/** What an edit rebuilds, planned on the publish-dev fixture's real plan. */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { nodeFileSystem } from "../../src/engine/effects.ts";
import { loadPlan } from "../../src/engine/loadPlan.ts";
import { loadProject } from "../../src/engine/project.ts";
import type { Plan } from "../../src/engine/types.ts";
import { macroNames, planChange } from "../../src/publish/devPlan.ts";
import { FIXTURES } from "./shopProject.ts";

let plan: Plan;

beforeAll(async () => {
  const project = await loadProject(join(FIXTURES, "publish-dev"), nodeFileSystem);
  plan = await loadPlan(project, nodeFileSystem, {
    vars: {},
    fullRefresh: false,
    existing: new Map(),
    env: {},
  });
});

describe("planChange", () => {
  it("rebuilds an edited model and its descendants", () => {
    expect(planChange(["models/region_totals.sql"], plan)).toEqual({
      select: ["region_totals+"],
      all: false,
      sources: false,
      pages: [],
      ignored: [],
    });
  });

  it("treats the YAML beside a model like the model", () => {
    expect(planChange(["models/region_totals.yml"], plan).select).toEqual(["region_totals+"]);
  });

  it("rebuilds what reads an edited seed", () => {
    expect(planChange(["seeds/regions.csv"], plan).select).toEqual(["regions+"]);
  });

  it("rebuilds the models that call an edited macro, and nothing that does not", () => {
    // non_negative() is called by base_orders only; calendar_days does not call it.
    expect(planChange(["macros/non_negative.sql"], plan).select).toEqual(["base_orders+"]);
  });

  it("recompiles an edited page without building anything", () => {
    expect(planChange(["pages/top.md"], plan)).toMatchObject({
      select: [],
      all: false,
      pages: ["pages/top.md"],
    });
  });

  it("rebuilds everything when the project file changes", () => {
    expect(planChange(["huitou_project.yml", "models/top_region.sql"], plan)).toMatchObject({
      select: [],
      all: true,
    });
  });

  it("merges a batch, and ignores what builds nothing", () => {
    expect(
      planChange(
        ["models/top_region.sql", "models/calendar_days.sql", "models/sedAb12Cd", "README.md"],
        plan,
      ),
    ).toMatchObject({
      select: ["calendar_days+", "top_region+"],
      ignored: ["README.md", "models/sedAb12Cd"],
    });
  });
});

describe("macroNames", () => {
  it("finds every macro a file defines", () => {
    expect(macroNames("{% macro a(x) %}{% endmacro %}\n{%- macro b_2 (y) -%}{%- endmacro -%}")).toEqual([
      "a",
      "b_2",
    ]);
  });
});
