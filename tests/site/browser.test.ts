/**
 * The built site in Debian's Chromium (playwright-core): every page opens without a console
 * error (a Content-Security-Policy violation is one) or a request to another host, shows the
 * fixture's numbers, passes axe without a serious issue, and is captured at phone and desktop
 * widths in target/screenshots/fixture/. Filters, deep links, sorting and the CSV download work,
 * and the site works from a sub-path (its assets are referred to relatively).
 */
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite, type SiteReport } from "../../src/site/buildSite.ts";
import { axeSerious, launchChromium, openPage, SCREENSHOTS, serve, shotName } from "./browserKit.ts";
import { fixtureWarehouse } from "./helpers.ts";

const SHOTS = join(SCREENSHOTS, "fixture");

let dir: string;
let report: SiteReport;
let server: Server;
let origin: string;
let browser: Browser;

const open = (route: string, width = 1280, colorScheme: "light" | "dark" = "light") =>
  openPage(browser, origin, route, { width, colorScheme });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "huitou-browser-"));
  const warehouse = await fixtureWarehouse(dir);
  report = await buildSite({
    projectDir: fileURLToPath(new URL("../fixtures/site-shop", import.meta.url)),
    warehousePath: warehouse,
    outDir: join(dir, "dist"),
    demo: true,
    run: { id: "run-42", refreshedAt: "2024-06-16T02:00:00Z", asOf: "2024-06-15" },
  });
  ({ server, origin } = await serve(report.outDir));
  browser = await launchChromium();
  await mkdir(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe("the site in Chromium", () => {
  it("opens every page cleanly, passes axe, and is captured at 375 px and 1280 px", async () => {
    for (const { route } of report.pages) {
      const name = shotName(route);
      for (const width of [375, 1280]) {
        const { page, problems } = await open(route, width);
        await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
        expect(problems, `${route} at ${width}px`).toEqual([]);
        // Nothing wider than the phone's screen (tables and charts scroll or scale inside their cards).
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `${route} at ${width}px overflows by ${overflow}px`).toBeLessThanOrEqual(0);
        if (width === 1280) expect(await axeSerious(page), route).toEqual([]);
        await page.close();
      }
    }
    const { page } = await open("/", 1280, "dark");
    await page.screenshot({ path: join(SHOTS, "overview-1280-dark.png"), fullPage: true });
    expect(await axeSerious(page)).toEqual([]);
    await page.close();
  });

  it("shows the overview's tiles with the fixture's numbers", async () => {
    const { page } = await open("/");
    const tiles = await page
      .locator(".tile")
      .evaluateAll((nodes) =>
        nodes.map((node) => [
          node.querySelector(".tile-title")?.textContent?.trim(),
          node.querySelector(".tile-value")?.textContent?.trim(),
        ]),
      );
    // Hand-computed in buildSite.test.ts: May 2024 and the t12m summary of the fixture.
    expect(tiles).toEqual([
      ["购买人数", "200"],
      ["复购率", "23.0%"],
      ["老客收入占比", "61.5%"],
      ["流失率", "4.5%"],
      ["会员收入占比", "42.0%"],
      ["会员人均收入", "¥1,500"],
      ["180天复购率", "26.0%"],
      // Held back by the publication gate (12 buyers < clv_min_buyers 500).
      ["预测12个月CLV", "—"],
    ]);
    await page.close();
  });

  it("switches a filter, keeps it in the URL, and restores it from a deep link", async () => {
    const { page, problems } = await open("/retention/");
    const visibleTitle = () =>
      page.locator(".variants > div:not([hidden]) .card-title").first().textContent();
    expect(await visibleTitle()).toBe("同期群客户留存率");
    await page.getByRole("button", { name: "收入留存" }).click();
    expect(await visibleTitle()).toBe("同期群收入留存率");
    expect(new URL(page.url()).searchParams.get("measure")).toBe("revenue_retention");
    await page.close();

    const deep = await open("/retention/?measure=revenue_retention");
    expect(await deep.page.locator(".variants > div:not([hidden]) .card-title").first().textContent()).toBe(
      "同期群收入留存率",
    );
    expect(await deep.page.getByRole("button", { name: "收入留存" }).getAttribute("aria-pressed")).toBe(
      "true",
    );
    await deep.page.close();

    // A dropdown: the date range of the repurchase page; 6 months shows January to June (6 points per line).
    const repurchase = await open("/repurchase/?period=6m");
    expect(await repurchase.page.locator("#input-period").inputValue()).toBe("6m");
    await repurchase.page.locator("#input-period").selectOption("all");
    expect(new URL(repurchase.page.url()).searchParams.get("period")).toBe("all");
    // Back to the default (24 months) removes the parameter.
    await repurchase.page.locator("#input-period").selectOption("24m");
    expect(new URL(repurchase.page.url()).searchParams.has("period")).toBe(false);
    expect([...problems, ...deep.problems, ...repurchase.problems]).toEqual([]);
    await repurchase.page.close();
  });

  it("sorts a table and downloads it as CSV", async () => {
    const { page } = await open("/campaigns/");
    // The campaign list follows the period filter: the visible rendering's table.
    const table = page.locator(".variants > div:not([hidden]) section.card table").first();
    const firstCell = () => table.locator("tbody tr").first().locator("td").first().textContent();
    // Uplift ascending: C2 (0.5 points) before C1 (4.0 points); descending: C1 first.
    await table.getByRole("button", { name: "提升" }).click();
    expect((await firstCell())?.trim()).toBe('2024 会员日 & "Push"');
    expect(await table.locator("th", { hasText: "提升" }).getAttribute("aria-sort")).toBe("ascending");
    await table.getByRole("button", { name: "提升" }).click();
    expect((await firstCell())?.trim()).toBe('2024 <script>alert("x")</script>双11召回');

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator(".variants > div:not([hidden]) section.card .csv").first().click(),
    ]);
    expect(download.suggestedFilename()).toBe("uplift.csv");
    const csv = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "").split("\r\n");
    expect(csv[0]).toBe("活动名称,窗口天数,触达人数,响应率,自然回购率,提升,p 值,增量收入,成本,ROI");
    // Raw values, not the formatted ones: C1 first after the descending sort.
    expect(csv[1]).toBe(
      '"2024 <script>alert(""x"")</script>双11召回",14,1000,0.12,0.08,0.04,0.005,8000,50,63',
    );
    await page.close();
  });

  it("shows a tooltip for a chart mark", async () => {
    const { page } = await open("/repurchase/");
    const dot = page
      .locator(".variants > div:not([hidden]) .plot-wide circle")
      .filter({ has: page.locator("title", { hasText: "24年5月" }) })
      .first();
    await dot.hover({ force: true });
    const tip = page.locator(".tip");
    await expect.poll(() => tip.isVisible()).toBe(true);
    // May 2024's repurchase rate in the fixture: 0.23.
    expect(await tip.textContent()).toBe("复购率\n24年5月: 23.0%");
    await page.close();
  });

  it("works from a sub-path, as a GitHub Pages project site: styles, script and policy", async () => {
    const sub = await serve(report.outDir, "/huitou/");
    try {
      // One and two folders deep: ../_assets/… and ../../_assets/… must stay under /huitou/.
      for (const route of ["/huitou/retention/?measure=revenue_retention", "/huitou/campaigns/C1/"]) {
        const { page, problems } = await openPage(browser, sub.origin, route);
        // The stylesheet applied: the light background is --bg #f5f6f8 = rgb(245, 246, 248).
        expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), route).toBe(
          "rgb(245, 246, 248)",
        );
        // A missing asset or a blocked one is a console error.
        expect(problems, route).toEqual([]);
        if (route.includes("measure")) {
          // Only the page script reads the deep link and presses the button.
          expect(await page.getByRole("button", { name: "收入留存" }).getAttribute("aria-pressed")).toBe(
            "true",
          );
        }
        await page.close();
      }
    } finally {
      await new Promise((resolve) => sub.server.close(resolve));
    }
  });

  it("lets a keyboard user skip to the content and open a definition", async () => {
    const { page } = await open("/");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.className)).toContain("skip");
    const summary = page.locator(".tile .def summary").first();
    await summary.focus();
    await page.keyboard.press("Enter");
    expect(await page.locator(".tile .def").first().getAttribute("open")).toBe("");
    await page.close();
  });
});
