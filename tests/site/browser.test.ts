/**
 * The built site in Debian's Chromium (playwright-core): every page opens without a console
 * error (a Content-Security-Policy violation is one) or a request to another host, shows the
 * fixture's numbers, passes axe without a serious issue, and is captured at phone and desktop
 * widths in target/screenshots/. Filters, deep links, sorting and the CSV download work.
 */
import { mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite, type SiteReport } from "../../src/site/buildSite.ts";
import { fixtureWarehouse } from "./helpers.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCREENSHOTS = join(ROOT, "target", "screenshots");
const AXE = join(ROOT, "node_modules", "axe-core", "axe.min.js");

let dir: string;
let report: SiteReport;
let server: Server;
let origin: string;
let browser: Browser;

function serve(root: string): Promise<Server> {
  const types: Record<string, string> = { ".html": "text/html; charset=utf-8", ".png": "image/png" };
  const http = createServer(async (request, response) => {
    let path = join(root, decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname));
    try {
      if ((await stat(path)).isDirectory()) path = join(path, "index.html");
      response.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
      response.end(await readFile(path));
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => http.listen(0, "127.0.0.1", () => resolve(http)));
}

/** Opens a route and records console errors and requests to anything but our server. */
async function open(route: string, width = 1280, colorScheme: "light" | "dark" = "light") {
  const page = await browser.newPage({
    viewport: { width, height: 900 },
    colorScheme,
    acceptDownloads: true,
  });
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning")
      problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith("data:") && !url.startsWith("blob:"))
      problems.push(`request to ${url}`);
  });
  await page.goto(`${origin}${route}`);
  return { page, problems };
}

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
  server = await serve(report.outDir);
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function axeSerious(page: Page): Promise<string[]> {
  await page.evaluate(await readFile(AXE, "utf8"));
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            context: Document,
            options: object,
          ) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    // Open every disclosure so the data tables and definitions are checked too.
    for (const details of document.querySelectorAll("details")) details.open = true;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map(
        (violation) =>
          `${violation.id}: ${violation.nodes
            .map((node) => node.target.join(" "))
            .slice(0, 3)
            .join(", ")}`,
      );
  });
}

describe("the site in Chromium", () => {
  it("opens every page cleanly, passes axe, and is captured at 375 px and 1280 px", async () => {
    for (const { route } of report.pages) {
      const name = route === "/" ? "overview" : route.replace(/^\/|\/$/g, "").replaceAll("/", "-");
      for (const width of [375, 1280]) {
        const { page, problems } = await open(route, width);
        await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
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
    await page.screenshot({ path: join(SCREENSHOTS, "overview-1280-dark.png"), fullPage: true });
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
      ["预测12个月CLV", "¥386.40"],
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
    const table = page.locator("section.card table").first();
    const firstCell = () => table.locator("tbody tr").first().locator("td").first().textContent();
    // Uplift ascending: C2 (0.5 points) before C1 (4.0 points); descending: C1 first.
    await table.getByRole("button", { name: "提升" }).click();
    expect((await firstCell())?.trim()).toBe('会员日 & "Push"');
    expect(await table.locator("th", { hasText: "提升" }).getAttribute("aria-sort")).toBe("ascending");
    await table.getByRole("button", { name: "提升" }).click();
    expect((await firstCell())?.trim()).toBe('<script>alert("x")</script>双11召回');

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator("section.card .csv").first().click(),
    ]);
    expect(download.suggestedFilename()).toBe("uplift.csv");
    const csv = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "").split("\r\n");
    expect(csv[0]).toBe("活动名称,窗口天数,触达人数,响应率,自然回购率,提升,p 值,增量收入,成本,ROI");
    // Raw values, not the formatted ones: C1 first after the descending sort.
    expect(csv[1]).toBe('"<script>alert(""x"")</script>双11召回",14,1000,0.12,0.08,0.04,0.005,8000,50,63');
    await page.close();
  });

  it("shows a tooltip for a chart mark", async () => {
    const { page } = await open("/repurchase/");
    const dot = page
      .locator('.variants > div:not([hidden]) .plot-wide circle[aria-label*="24年5月"]')
      .first();
    await dot.hover({ force: true });
    const tip = page.locator(".tip");
    await expect.poll(() => tip.isVisible()).toBe(true);
    // May 2024's repurchase rate in the fixture: 0.23.
    expect(await tip.textContent()).toBe("复购率\n24年5月: 23.0%");
    await page.close();
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
