import { describe, expect, it } from "vitest";
import { cteName, withEphemerals } from "../../src/engine/ephemeral.ts";
import { finalize } from "../../src/engine/lineMap.ts";
import type { ModelConfig, ModelNode, Node } from "../../src/engine/types.ts";

const M = (line: number) => `\uE000${line}\uE001`;
const config = (materialized: ModelConfig["materialized"]): ModelConfig => ({
  materialized,
  tags: [],
  uniqueKey: [],
  incrementalStrategy: "append",
  hooks: { pre: [], post: [] },
  enabled: true,
  meta: {},
});
function model(
  name: string,
  sql: string,
  dependsOn: string[],
  materialized: ModelConfig["materialized"],
): ModelNode {
  const lines = sql
    .split("\n")
    .map((text, i) => `${M(i + 1)}${text}`)
    .join("\n");
  return {
    kind: "model",
    id: name,
    name,
    file: `models/${name}.sql`,
    dependsOn,
    config: config(materialized),
    sql: finalize(lines, `models/${name}.sql`, (key) => key),
    relation: materialized === "ephemeral" ? cteName(name) : `"main"."${name}"`,
    docs: undefined,
    incremental: false,
    hooks: { pre: [], post: [] },
  };
}

describe("withEphemerals", () => {
  const base = model("base", "select 1 as id", [], "ephemeral");
  const mid = model("mid", `select * from ${cteName("base")}`, ["base"], "ephemeral");
  const nodes = new Map<string, Node>([
    ["base", base],
    ["mid", mid],
  ]);

  it("inlines ephemerals and the ephemerals they read, dependencies first", () => {
    const reader = model("reader", `select * from ${cteName("mid")}`, ["mid"], "table");
    const sql = withEphemerals(reader.sql, reader.dependsOn, nodes);
    expect(sql.text).toBe(
      [
        `with "__huitou_cte__base" as (`,
        "select 1 as id",
        "),",
        `"__huitou_cte__mid" as (`,
        `select * from "__huitou_cte__base"`,
        ")",
        `select * from "__huitou_cte__mid"`,
      ].join("\n"),
    );
    // Each inlined line still maps to its own model file.
    expect(sql.lines.map((segments) => segments[0]?.file ?? "-")).toEqual([
      "-",
      "models/base.sql",
      "-",
      "-",
      "models/mid.sql",
      "-",
      "models/reader.sql",
    ]);
  });

  it("joins its CTEs in front of a query that has its own, keeping columns", () => {
    const reader = model("reader", "with x as (\n  select * from y\n)\nselect 1", ["base"], "table");
    const sql = withEphemerals(reader.sql, reader.dependsOn, nodes);
    expect(sql.text).toBe(
      `with "__huitou_cte__base" as (\nselect 1 as id\n),\n     x as (\n  select * from y\n)\nselect 1`,
    );
  });

  it("leaves a query without ephemeral parents alone", () => {
    const reader = model("reader", "select 1", [], "table");
    expect(withEphemerals(reader.sql, reader.dependsOn, nodes)).toBe(reader.sql);
  });
});
