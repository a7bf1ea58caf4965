import { describe, expect, it } from "vitest";
import type { Relation } from "../../src/engine/adapters/adapter.ts";
import { generated } from "../../src/engine/lineMap.ts";
import { rebuildsAll, selectNodes, selectTests } from "../../src/engine/selection.ts";
import type { Materialization, ModelNode, Node, Plan, TestNode } from "../../src/engine/types.ts";

function model(name: string, materialized: Materialization, dependsOn: string[] = []): ModelNode {
  return {
    kind: "model",
    id: `model.p.${name}`,
    name,
    file: `models/${name}.sql`,
    dependsOn,
    config: {
      materialized,
      tags: [],
      uniqueKey: [],
      incrementalStrategy: "append",
      hooks: { pre: [], post: [] },
      enabled: true,
      meta: {},
    },
    sql: generated("select 1"),
    relation: `"main"."${name}"`,
    docs: undefined,
    incremental: false,
    hooks: { pre: [], post: [] },
  };
}
function test(name: string, dependsOn: string[]): TestNode {
  return {
    kind: "test",
    id: `test.p.${name}`,
    name,
    file: "models/x.yml",
    dependsOn,
    config: { severity: "error", tags: [], enabled: true, where: undefined, scope: "written" },
    testType: "not_null",
    attachedTo: dependsOn[0],
    column: "id",
    sql: generated("select 1"),
    location: { file: "models/x.yml", line: 1 },
  };
}
const plan = (nodes: Node[]) => ({ nodes: new Map(nodes.map((node) => [node.id, node])) }) as unknown as Plan;
const relation = (schema: string, name: string): Relation => ({ schema, name, kind: "table" });
const steps = { sources: false, seeds: true, models: true };

describe("rebuildsAll", () => {
  const nodes = [
    model("a", "table"),
    model("b", "view", ["model.p.a"]),
    model("e", "ephemeral"),
    model("i", "incremental"),
  ];
  const all = new Set(nodes.map((node) => node.id));

  it("is true when every relation in the warehouse is rebuilt", () => {
    expect(rebuildsAll([relation("main", "a"), relation("main", "b")], plan(nodes), all, steps)).toBe(true);
    expect(rebuildsAll([], plan(nodes), all, steps)).toBe(true);
  });

  it("is false for incremental data, unselected or unknown relations, and raw without a source load", () => {
    expect(rebuildsAll([relation("main", "i")], plan(nodes), all, steps)).toBe(false);
    expect(rebuildsAll([relation("main", "a")], plan(nodes), new Set(["model.p.b"]), steps)).toBe(false);
    expect(rebuildsAll([relation("main", "old_model")], plan(nodes), all, steps)).toBe(false);
    expect(rebuildsAll([relation("raw", "orders")], plan(nodes), all, steps)).toBe(false);
    // A source load keeps raw tables whose files it already holds, unless it is a full refresh.
    expect(rebuildsAll([relation("raw", "orders")], plan(nodes), all, { ...steps, sources: true })).toBe(
      false,
    );
    expect(
      rebuildsAll(
        [relation("raw", "orders"), relation("huitou_meta", "incremental_state")],
        plan(nodes),
        all,
        {
          ...steps,
          sources: true,
          fullRefresh: true,
        },
      ),
    ).toBe(true);
  });
});

describe("selectNodes and selectTests", () => {
  const nodes: Node[] = [
    model("a", "table"),
    model("b", "view", ["model.p.a"]),
    test("not_null_b_id", ["model.p.b"]),
  ];

  it("selects everything without a selector, and tests of selected models with one", () => {
    expect([...selectNodes(plan(nodes), undefined, undefined, new Map())].sort()).toEqual([
      "model.p.a",
      "model.p.b",
    ]);
    expect(selectTests(plan(nodes), "a", undefined)).toEqual([]);
    expect(selectTests(plan(nodes), "b", undefined).map((one) => one.name)).toEqual(["not_null_b_id"]);
    expect(selectTests(plan(nodes), "not_null_b_id", undefined).map((one) => one.name)).toEqual([
      "not_null_b_id",
    ]);
    expect(selectTests(plan(nodes), "b", "not_null_b_id")).toEqual([]);
  });
});
