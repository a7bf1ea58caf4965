/**
 * The campaign template page (pages/campaigns/[campaign_id].md) as shipped, compiled against a
 * small warehouse of its own: the daily response curve comes from int_campaign_response_days,
 * one campaign's rows, complete days only, treatment first.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Adapter } from "../../src/engine/adapters/adapter.ts";
import type { ChartNode } from "../../src/site/types.ts";
import { compile, flatten, memoryWarehouse } from "./helpers.ts";

const PAGE = fileURLToPath(new URL("../../pages/campaigns/[campaign_id].md", import.meta.url));

let db: Adapter;
let source: string;

beforeAll(async () => {
  source = await readFile(PAGE, "utf8");
  // C1: 4 treatment contacts, 2 holdout, days 0..3 of which 0..2 complete; C2 is another
  // campaign whose rows must not show. Rates: treatment 1/4, 2/4, 2/4; holdout 0/2, 0/2, 1/2.
  db = await memoryWarehouse(`
    create schema raw;
    create table raw.campaigns as select * from (values
      ('C1', '双11', 'sms', '满200减20', timestamp '2024-11-01 10:00:00')
    ) as t(campaign_id, name, channel, offer, started_at);
    create table int_campaign_response_days as select * from (values
      ('C1', 'holdout', 0, 2, true, 0, 0.0),
      ('C1', 'holdout', 1, 2, true, 0, 0.0),
      ('C1', 'holdout', 2, 2, true, 1, 0.5),
      ('C1', 'holdout', 3, 2, false, null, null),
      ('C1', 'treatment', 0, 4, true, 1, 0.25),
      ('C1', 'treatment', 1, 4, true, 2, 0.5),
      ('C1', 'treatment', 2, 4, true, 2, 0.5),
      ('C1', 'treatment', 3, 4, false, null, null),
      ('C2', 'treatment', 0, 9, true, 9, 1.0)
    ) as t(campaign_id, "group", days_since_contact, contacts, is_complete, responders, response_rate);
  `);
});

afterAll(async () => {
  await db.close();
});

describe("the campaign page's daily response curve", () => {
  it("reads one campaign's complete days of int_campaign_response_days, treatment first", async () => {
    const page = await compile(db, source, { params: { campaign_id: "C1" }, route: "/campaigns/C1/" });
    const curve = flatten(page.nodes).find(
      (node): node is ChartNode => node.kind === "chart" && node.title === "触达后累计响应率（按天）",
    );
    expect(curve?.empty).toBeUndefined();
    expect(curve?.table.columns.map((column) => column.name)).toEqual([
      "days_since_contact",
      "group",
      "response_rate",
    ]);
    expect(curve?.table.columns[0]?.label).toBe("触达后天数");
    // Day 3 is open in both groups (null rate): left out, as are C2's rows.
    expect(curve?.table.rows.map((row) => row.map((cell) => cell.raw))).toEqual([
      [0, "treatment", 0.25],
      [1, "treatment", 0.5],
      [2, "treatment", 0.5],
      [0, "holdout", 0],
      [1, "holdout", 0],
      [2, "holdout", 0.5],
    ]);
    expect(curve?.svg).toContain("<svg");
  });

  it("shows an empty chart, not an error, before the curve model has been built", async () => {
    const bare = await memoryWarehouse(
      "create schema raw; create table raw.campaigns (campaign_id varchar, name varchar, channel varchar, offer varchar, started_at timestamp);",
    );
    try {
      const page = await compile(bare, source, { params: { campaign_id: "C1" }, route: "/campaigns/C1/" });
      const curve = flatten(page.nodes).find(
        (node): node is ChartNode => node.kind === "chart" && node.title === "触达后累计响应率（按天）",
      );
      expect(curve?.empty).toBeTruthy();
    } finally {
      await bare.close();
    }
  });
});
