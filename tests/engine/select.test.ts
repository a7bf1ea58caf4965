import { describe, expect, it } from "vitest";
import { type Selectable, select } from "../../src/engine/select.ts";

const nodes: Selectable[] = [
  {
    id: "source.shop.orders",
    name: "orders",
    kind: "source",
    tags: [],
    file: "sources/shop.yml",
    sourceName: "shop",
  },
  { id: "seed.channels", name: "channels", kind: "seed", tags: [], file: "seeds/channels.csv" },
  {
    id: "model.stg_orders",
    name: "stg_orders",
    kind: "model",
    tags: ["staging"],
    file: "models/staging/stg_orders.sql",
  },
  {
    id: "model.stg_customers",
    name: "stg_customers",
    kind: "model",
    tags: ["staging"],
    file: "models/staging/stg_customers.sql",
  },
  {
    id: "model.int_buyers",
    name: "int_buyers",
    kind: "model",
    tags: [],
    file: "models/intermediate/int_buyers.sql",
  },
  {
    id: "model.retention",
    name: "retention",
    kind: "model",
    tags: ["published"],
    file: "models/marts/retention.sql",
  },
  { id: "model.churn", name: "churn", kind: "model", tags: ["published"], file: "models/marts/churn.sql" },
];
const parents = new Map<string, string[]>([
  ["source.shop.orders", []],
  ["seed.channels", []],
  ["model.stg_orders", ["source.shop.orders"]],
  ["model.stg_customers", []],
  ["model.int_buyers", ["model.stg_orders", "model.stg_customers", "seed.channels"]],
  ["model.retention", ["model.int_buyers"]],
  ["model.churn", ["model.int_buyers"]],
]);
const ids = (selector: string, exclude = "") => [...select(selector, exclude, nodes, parents)].sort();

describe("select", () => {
  it("selects by name, with ancestors (+name) and descendants (name+)", () => {
    expect(ids("int_buyers")).toEqual(["model.int_buyers"]);
    expect(ids("+int_buyers")).toEqual([
      "model.int_buyers",
      "model.stg_customers",
      "model.stg_orders",
      "seed.channels",
      "source.shop.orders",
    ]);
    expect(ids("int_buyers+")).toEqual(["model.churn", "model.int_buyers", "model.retention"]);
    expect(ids("1+retention")).toEqual(["model.int_buyers", "model.retention"]);
  });

  it("selects by tag, path, source and wildcard; spaces are a union, commas an intersection", () => {
    expect(ids("tag:published")).toEqual(["model.churn", "model.retention"]);
    expect(ids("path:models/staging")).toEqual(["model.stg_customers", "model.stg_orders"]);
    expect(ids("path:models/marts/churn.sql")).toEqual(["model.churn"]);
    expect(ids("source:shop+")).toEqual([
      "model.churn",
      "model.int_buyers",
      "model.retention",
      "model.stg_orders",
      "source.shop.orders",
    ]);
    expect(ids("stg_*")).toEqual(["model.stg_customers", "model.stg_orders"]);
    expect(ids("churn tag:staging")).toEqual(["model.churn", "model.stg_customers", "model.stg_orders"]);
    expect(ids("+retention,tag:staging")).toEqual(["model.stg_customers", "model.stg_orders"]);
  });

  it("excludes", () => {
    expect(ids("int_buyers+", "churn")).toEqual(["model.int_buyers", "model.retention"]);
  });

  it("rejects a term that matches nothing, naming it", () => {
    expect(() => ids("retension")).toThrow("--select 'retension' matches nothing");
    expect(() => ids("colour:red")).toThrow("unknown selector method 'colour:'");
  });
});
