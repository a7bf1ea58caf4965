/**
 * The dev loop on the publish-dev fixture (regions seed → base_orders → region_totals →
 * top_region, and calendar_days apart; one page per model and a static one): an edit rebuilds
 * only the edited node and its descendants, and only the pages that read them are compiled
 * and written again; the other pages' files stay byte for byte. Read from the loop's reports.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quietEffects } from "../../src/engine/effects.ts";
import { type DevReport, type DevSession, startDev } from "../../src/publish/devSession.ts";
import { hashTree } from "./hashTree.ts";
import { FIXTURES } from "./shopProject.ts";

let dir: string;
let site: string;
let session: DevSession;

const sorted = (names: string[]) => [...names].sort();
const built = (report: DevReport) => ({
  seeds: sorted(report.seeds),
  models: sorted(report.models),
  pages: sorted(report.pages),
  rendered: sorted(report.rendered),
  failures: report.failures.map((failure) => failure.message),
});
const page = (route: string) => readFile(join(site, route, "index.html"), "utf8");

async function edit(path: string, change: (text: string) => string): Promise<void> {
  const file = join(dir, path);
  await writeFile(file, change(await readFile(file, "utf8")));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "huitou-dev-"));
  await cp(join(FIXTURES, "publish-dev"), dir, { recursive: true });
  site = join(dir, "target", "dev-site");
  // No built-in pages: the fixture's four pages are the whole site.
  session = await startDev(
    { projectDir: dir, outDir: site, builtInPages: join(dir, "no-built-in-pages") },
    quietEffects(),
  );
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("huitou dev's rebuild loop", () => {
  it("builds everything once at the start", async () => {
    expect(built(session.initial)).toEqual({
      seeds: ["regions"],
      models: ["base_orders", "calendar_days", "region_totals", "top_region"],
      pages: ["/", "/calendar/", "/top/", "/totals/"],
      rendered: ["/", "/calendar/", "/top/", "/totals/"],
      failures: [],
    });
    // North: orders 1 and 3, 100 + 30 = 130; South: order 2, 50. The top region is North.
    expect(await page("top")).toContain("<strong>North</strong> with ¥130");
  });

  it("an edited model: it and its descendants, and the pages that read them", async () => {
    const before = await hashTree(site);
    await edit("models/region_totals.sql", (sql) =>
      sql.replace("group by", "where orders.amount >= 50\ngroup by"),
    );
    const report = await session.change(["models/region_totals.sql"]);
    // region_totals and its descendant top_region; not base_orders (its parent), not calendar_days.
    expect(built(report)).toEqual({
      seeds: [],
      models: ["region_totals", "top_region"],
      pages: ["/top/", "/totals/"],
      rendered: ["/top/", "/totals/"],
      failures: [],
    });
    const after = await hashTree(site);
    expect(after["index.html"]).toBe(before["index.html"]);
    expect(after["calendar/index.html"]).toBe(before["calendar/index.html"]);
    expect(after["totals/index.html"]).not.toBe(before["totals/index.html"]);
    // Order 3 (30) is now left out: North 100, South 50, so North still leads, with 100.
    expect(await page("top")).toContain("<strong>North</strong> with ¥100");
  });

  it("an edited page: that page alone, no model", async () => {
    const before = await hashTree(site);
    await edit("pages/calendar.md", (text) => text.replace("The week has", "A week has"));
    expect(built(await session.change(["pages/calendar.md"]))).toEqual({
      seeds: [],
      models: [],
      pages: ["/calendar/"],
      rendered: ["/calendar/"],
      failures: [],
    });
    const after = await hashTree(site);
    for (const other of ["index.html", "top/index.html", "totals/index.html"])
      expect(after[other]).toBe(before[other]);
    // range(1, 8) is 1..7: seven days.
    expect(await page("calendar")).toContain("A week has 7 days.");
  });

  it("an edited macro: the models calling it and their descendants", async () => {
    await edit(
      "macros/non_negative.sql",
      () => "{% macro non_negative(column) %}greatest({{ column }}, 0) * 2{% endmacro %}\n",
    );
    const report = await session.change(["macros/non_negative.sql"]);
    expect(built(report)).toMatchObject({
      models: ["base_orders", "region_totals", "top_region"],
      pages: ["/top/", "/totals/"],
    });
    // Amounts doubled: North keeps only order 1 (200 >= 50) and order 3 (60 >= 50): 260.
    expect(await page("top")).toContain("<strong>North</strong> with ¥260");
  });

  it("a broken model: the error, no page touched, the last good pages kept", async () => {
    const before = await hashTree(site);
    await edit("models/top_region.sql", (sql) =>
      sql.replace("order by amount desc", "order by amount desc desc"),
    );
    const report = await session.change(["models/top_region.sql"]);
    expect(report.failures.map((failure) => [failure.name, failure.location?.file])).toEqual([
      ["sql", "models/top_region.sql"],
    ]);
    expect([report.pages, report.rendered]).toEqual([[], []]);
    expect(await hashTree(site)).toEqual(before);
  });
});
