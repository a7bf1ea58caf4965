/**
 * Which marts are published. `huitou export` writes the models tagged `published`, and the
 * site's glossary lists them; the per-customer marts (metrics.md and docs/ARCHITECTURE.md name
 * five) must stay in the warehouse. Tags accumulate down the folder tree of the project file,
 * so a per-customer mart inside a published subject folder would silently inherit the tag:
 * this plans the real project and checks the tag of every mart.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nodeFileSystem } from "../../src/engine/effects.ts";
import { loadPlan } from "../../src/engine/loadPlan.ts";
import { loadProject } from "../../src/engine/project.ts";
import { resolveVars } from "../../src/engine/vars.ts";

const repo = join(import.meta.dirname, "../..");

/** The five per-customer marts, from docs/ARCHITECTURE.md ("Published marts"). */
const PER_CUSTOMER = ["customer_orders", "customer_value", "customers_summary", "referrals", "rfm_segments"];

async function martTags(): Promise<Map<string, string[]>> {
  const project = await loadProject(repo, nodeFileSystem);
  const plan = await loadPlan(project, nodeFileSystem, {
    vars: resolveVars(project.vars, {}),
    fullRefresh: false,
    existing: new Map(),
    env: {},
  });
  const marts = new Map<string, string[]>();
  for (const node of plan.nodes.values()) {
    if (node.kind === "model" && node.file.startsWith("models/marts/"))
      marts.set(node.name, node.config.tags);
  }
  return marts;
}

describe("mart tags", () => {
  it("keeps the five per-customer marts out of `published`", async () => {
    const marts = await martTags();
    const perCustomer = [...marts].filter(([, tags]) => tags.includes("per_customer")).map(([name]) => name);
    expect(perCustomer.sort()).toEqual(PER_CUSTOMER);
    for (const name of PER_CUSTOMER) expect(marts.get(name)).not.toContain("published");
  });

  it("publishes every other mart, each with exactly one of the two tags", async () => {
    const marts = await martTags();
    // metrics.md names 28 tables: 23 published + the 5 per-customer ones.
    expect(marts.size).toBe(28);
    for (const [name, tags] of marts) {
      const published = tags.includes("published");
      const perCustomer = tags.includes("per_customer");
      expect(`${name}: ${published !== perCustomer}`).toBe(`${name}: true`);
    }
  });
});
