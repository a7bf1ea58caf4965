import { describe, expect, it } from "vitest";
import { folderLayers, modelConfig } from "../../src/engine/config.ts";
import { parseProject } from "../../src/engine/project.ts";
import { castVar, resolveVars } from "../../src/engine/vars.ts";
import type { HuitouError } from "../../src/errors.ts";

const PROJECT = `name: shop
vars:
  churn_days: 180
  currency: CNY
models:
  shop:
    +tags: [all]
    staging:
      +materialized: view
    marts:
      +materialized: table
      +tags: [published]
      retention:
        +materialized: incremental
        +unique_key: [cohort_month, months_since_first]
`;

function failure(text: string): HuitouError {
  try {
    parseProject("/p", text);
  } catch (error) {
    return error as HuitouError;
  }
  throw new Error("expected a config error");
}

describe("parseProject", () => {
  it("reads name, vars, default paths and folder configs", () => {
    const project = parseProject("/p", PROJECT);
    expect(project.name).toBe("shop");
    expect(project.vars).toEqual({ churn_days: 180, currency: "CNY" });
    expect(project.paths).toEqual({
      models: ["models"],
      seeds: ["seeds"],
      macros: ["macros"],
      tests: ["tests"],
    });
    const layers = folderLayers(project.models, "shop", ["marts", "retention", "retention_cohorts"]);
    // Root, then shop, marts, retention: tags accumulate (all, published), the deepest
    // materialization wins.
    expect(modelConfig(layers)).toEqual({
      materialized: "incremental",
      tags: ["all", "published"],
      uniqueKey: ["cohort_month", "months_since_first"],
      incrementalStrategy: "merge",
      hooks: { pre: [], post: [] },
      enabled: true,
      meta: {},
    });
    expect(modelConfig(folderLayers(project.models, "shop", ["staging", "stg_orders"])).materialized).toBe(
      "view",
    );
  });

  it("points at a bad materialization", () => {
    const error = failure("name: shop\nmodels:\n  marts:\n    +materialized: tabel\n");
    expect(error.kind).toBe("usage");
    // `tabel` starts at column 20 of line 4 (`    +materialized: ` is 19 characters).
    expect(error.location).toEqual({ file: "huitou_project.yml", line: 4, column: 20 });
    expect(error.message).toContain("materialized must be one of view, table, incremental, ephemeral");
  });

  it("points at an unknown top-level key and at a config written without a plus", () => {
    expect(failure("name: shop\nvar:\n  a: 1\n").location).toEqual({
      file: "huitou_project.yml",
      line: 2,
      column: 1,
    });
    const error = failure("name: shop\nmodels:\n  marts:\n    materialized: view\n    colour: red\n");
    // `materialized` without a plus is accepted (dbt allows it); `colour: red` is neither.
    expect(error.location).toEqual({ file: "huitou_project.yml", line: 5, column: 5 });
  });

  it("requires a name and reports YAML syntax errors with their position", () => {
    expect(failure("vars: {}\n").message).toContain("`name` must be set");
    const syntax = failure("name: shop\nvars: [1, 2\n");
    expect(syntax.name).toBe("config");
    expect(syntax.location?.file).toBe("huitou_project.yml");
    expect(syntax.location?.line).toBeGreaterThanOrEqual(2);
  });
});

describe("vars", () => {
  it("casts numbers and booleans, keeps dates and leading zeros as text", () => {
    expect([castVar("180"), castVar("0.4"), castVar("-2e3"), castVar("true"), castVar("FALSE")]).toEqual([
      180,
      0.4,
      -2000,
      true,
      false,
    ]);
    expect([castVar("2024-06-30"), castVar("007"), castVar("weeks")]).toEqual(["2024-06-30", "007", "weeks"]);
  });

  it("applies overrides over defaults", () => {
    expect(resolveVars({ churn_days: 180, unit: "days" }, { churn_days: "120" })).toEqual({
      churn_days: 120,
      unit: "days",
    });
  });
});
