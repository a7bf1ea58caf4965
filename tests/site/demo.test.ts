/**
 * The dashboard of the demo shop in Debian's Chromium: `huitou build --demo` with the network
 * cut off, then every page opened at 375 px and 1280 px (no console error, no request to
 * another host, nothing wider than the screen, axe without a serious issue, screenshots in
 * target/screenshots/demo/), the numbers shown checked against the warehouse by queries of
 * our own (other marts or the per-purchase mart, not the page's SQL), a filter and a deep
 * link, the page-weight budget, and the content-named assets: a second build with another
 * `--as-of` writes the same ones. The Overview's largest contentful paint is measured and
 * written to target/site-budget.json, not asserted: timings are not tests here.
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Adapter, Row } from "../../src/engine/adapters/adapter.ts";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import {
  axeSerious,
  largestContentfulPaint,
  launchChromium,
  openPage,
  SCREENSHOTS,
  serve,
  shotName,
  transferredGzipBytes,
} from "./browserKit.ts";
import { buildDemoOffline, type DemoBuild } from "./demoBuild.ts";
import { groupLegend, htmlRoutes, table, tiles } from "./pageReaders.ts";
import { parseShown, shows } from "./shown.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SHOTS = join(SCREENSHOTS, "demo");
const BUDGET = 100 * 1024;

let build: DemoBuild;
let db: Adapter;
let server: Server;
let origin: string;
let browser: Browser;
let routes: string[];

beforeAll(async () => {
  build = await buildDemoOffline();
  db = await openDuckDB(build.warehouse, { readOnly: true });
  routes = await htmlRoutes(build.dist);
  ({ server, origin } = await serve(build.dist));
  browser = await launchChromium();
  await rm(SHOTS, { recursive: true, force: true });
  await mkdir(SHOTS, { recursive: true });
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await db?.close();
  await build?.remove();
});

async function one(sql: string): Promise<Row> {
  const { rows } = await db.query(sql);
  if (rows.length !== 1) throw new Error(`expected one row from: ${sql}`);
  return rows[0]!;
}

const num = (value: unknown) => Number(value);

/** The analysis date (the latest purchase: as_of's default) and the last complete month. */
async function dates(): Promise<{ asOf: string; lastMonth: string }> {
  const row = await one(`
    select
        cast(max(order_date) as varchar) as as_of,
        cast(case when max(order_date) = last_day(max(order_date)) then date_trunc('month', max(order_date))
             else date_trunc('month', max(order_date)) - interval 1 month end as date) as last_month
    from customer_orders`);
  return { asOf: String(row.as_of), lastMonth: String(row.last_month).slice(0, 10) };
}

function expectShows(text: string | undefined, expected: number, what: string): void {
  expect(text, what).toBeDefined();
  const { value, tolerance } = parseShown(text!);
  expect(
    shows(text!, expected),
    `${what}: shown ${text} (${value} ± ${tolerance}), warehouse ${expected}`,
  ).toBe(true);
}

describe("the demo site, built offline", () => {
  it("has every subject page and one page per campaign of the campaign list", async () => {
    const subjects = ["/", "/campaigns/", "/churn/", "/customer-value/", "/data/", "/members/"];
    for (const route of [...subjects, "/products/", "/repurchase/", "/retention/", "/segments/"])
      expect(routes).toContain(route);
    // Every complete campaign with a row at its own window gets a page.
    const { campaigns } = await one(`
      select count(distinct uplift.campaign_id) as campaigns
      from campaign_uplift as uplift
      left join raw.campaigns as campaigns using (campaign_id)
      where uplift.is_complete and uplift.window_days = coalesce(campaigns.response_window_days, 14)`);
    expect(routes.filter((route) => /^\/campaigns\/[^/]+\/$/.test(route))).toHaveLength(num(campaigns));
    expect(build.log).toContain("warehouse updated");
  });

  it("opens every page cleanly at 375 px and 1280 px, passes axe, and saves the screenshots", async () => {
    const campaignPages = routes.filter((route) => /^\/campaigns\/[^/]+\/$/.test(route));
    // Every subject page and the newest and oldest campaign pages are pictured and run
    // through axe; the other campaign pages share their template and are opened and checked.
    const pictured = new Set([
      ...routes.filter((route) => !campaignPages.includes(route)),
      campaignPages[0],
      campaignPages[campaignPages.length - 1],
    ]);
    for (const width of [375, 1280]) {
      // One tab per width, navigated from page to page: a fresh tab per page costs seconds.
      const { page, problems } = await openPage(browser, origin, "/", { width });
      for (const route of routes) {
        problems.length = 0;
        await page.goto(`${origin}${route}`);
        if (pictured.has(route))
          await page.screenshot({ path: join(SHOTS, `${shotName(route)}-${width}.png`), fullPage: true });
        expect(problems, `${route} at ${width}px`).toEqual([]);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `${route} at ${width}px overflows by ${overflow}px`).toBeLessThanOrEqual(0);
        // Every chart card shows a drawing at this width, not only its data-table toggle.
        const blank = await page.locator("figure.chart").evaluateAll((figures) =>
          figures
            .filter((figure) => !figure.closest("[hidden]") && !figure.querySelector(".empty"))
            .filter(
              (figure) =>
                ![...figure.querySelectorAll("svg.plot")].some(
                  (svg) => svg.getBoundingClientRect().height > 50,
                ),
            )
            .map((figure) => figure.querySelector(".card-title")?.textContent?.trim()),
        );
        expect(blank, `${route} at ${width}px: charts without a drawing`).toEqual([]);
        if (width === 1280 && pictured.has(route)) expect(await axeSerious(page), route).toEqual([]);
      }
      await page.close();
    }
    const dark = await openPage(browser, origin, "/", { colorScheme: "dark" });
    await dark.page.screenshot({ path: join(SHOTS, "overview-1280-dark.png"), fullPage: true });
    expect(await axeSerious(dark.page)).toEqual([]);
    await dark.page.close();
  }, 600_000);

  it("puts the page title right under the navigation on a phone", async () => {
    // A page shorter than the screen is where a stretched header row showed: 300 px of nothing
    // above the title. A tall screen makes every page one.
    const { page } = await openPage(browser, origin, "/members/", { width: 375, height: 4000 });
    const gap = await page.evaluate(() => {
      const header = document.querySelector("header.side")!.getBoundingClientRect();
      const title = document.querySelector("main > h1")!.getBoundingClientRect();
      return title.top - header.bottom;
    });
    // main's top padding (1rem, 16 px) is all there is between them.
    expect(gap).toBeLessThan(24);
    await page.close();
  });
});

describe("the numbers shown match the warehouse", () => {
  it("Overview: the last complete month's tiles and the 12-month member and CLV tiles", async () => {
    const { asOf, lastMonth } = await dates();
    const month = await one(`
      with firsts as (select customer_id, min(order_month) as first_month from customer_orders group by 1),
      in_month as (
          select orders.customer_id, count(*) as purchases, sum(orders.net_revenue) as revenue,
              any_value(firsts.first_month) as first_month
          from customer_orders as orders join firsts using (customer_id)
          where orders.order_month = date '${lastMonth}'
          group by 1
      )
      select count(*) as buyers,
          count(*) filter (where purchases >= 2) / count(*) as repurchase_rate,
          sum(revenue) filter (where first_month < date '${lastMonth}') / sum(revenue) as returning_share
      from in_month`);
    const window = await one(`
      with purchases as (
          select * from customer_orders
          where order_date between date '${asOf}' - interval 364 day and date '${asOf}'
      ),
      firsts as (
          select customer_id, order_date as first_date from customer_orders where order_seq = 1
      ),
      matured as (
          select firsts.customer_id, firsts.first_date,
              exists (
                  select 1 from customer_orders as later
                  where later.customer_id = firsts.customer_id
                    and later.order_date > firsts.first_date
                    and later.order_date <= firsts.first_date + interval 180 day
              ) as came_back
          from firsts
          where firsts.first_date between date '${asOf}' - interval 364 day and date '${asOf}' - interval 180 day
      )
      select
          (select sum(net_revenue) filter (where is_member_at_order) / sum(net_revenue) from purchases) as member_share,
          (select sum(net_revenue) filter (where is_member_at_order)
              / count(distinct customer_id) filter (where is_member_at_order) from purchases) as per_member,
          (select avg(came_back::int) from matured) as repurchase_180d`);
    const churn = await one(
      "select churned / active_at_start as churn_rate from churn_monthly order by month desc limit 1",
    );
    const clv = await one("select avg(predicted_clv_365d) as clv from customer_value");

    const { page } = await openPage(browser, origin, "/");
    const shown = await tiles(page);
    // e.g. 2,029 buyers in December 2025; 392 of them with 2+ purchases = 19.3%.
    expectShows(shown.购买人数, num(month.buyers), "buyers");
    expectShows(shown.复购率, num(month.repurchase_rate), "repurchase rate");
    expectShows(shown.老客收入占比, num(month.returning_share), "returning revenue share");
    expectShows(shown.流失率, num(churn.churn_rate), "churn rate");
    expectShows(shown.会员收入占比, num(window.member_share), "member revenue share");
    expectShows(shown.会员人均收入, num(window.per_member), "revenue per member buyer");
    expectShows(shown["180天复购率"], num(window.repurchase_180d), "180-day repurchase rate");
    expectShows(shown.预测12个月CLV, num(clv.clv), "predicted CLV");
    // The tiles say which month they describe.
    const [year, monthNumber] = lastMonth.split("-").map(Number);
    expect(await page.locator("main .prose").first().textContent()).toContain(
      `（${year}年${monthNumber}月）`,
    );
    await page.close();
  });

  it("Retention: a cohort's month-1 retention from the purchases themselves", async () => {
    const { lastMonth } = await dates();
    // The cohort twelve months before the last complete month: its month 1 is long complete.
    const cohort = await one(`select cast(date '${lastMonth}' - interval 12 month as date) as cohort`);
    const cohortMonth = String(cohort.cohort).slice(0, 10);
    const expected = await one(`
      with firsts as (select customer_id, min(order_month) as cohort_month from customer_orders group by 1),
      members as (select customer_id from firsts where cohort_month = date '${cohortMonth}')
      select count(distinct orders.customer_id) / (select count(*) from members) as retention
      from customer_orders as orders
      where orders.customer_id in (select customer_id from members)
        and orders.order_month = date '${cohortMonth}' + interval 1 month`);
    const { page } = await openPage(browser, origin, "/retention/");
    const rows = await table(page, "同期群客户留存率");
    const cell = rows.find((row) => row[0]!.raw.startsWith(cohortMonth) && row[1]!.raw === "1");
    expectShows(
      cell?.[2]?.text,
      num(expected.retention),
      `retention of the ${cohortMonth} cohort in month 1`,
    );
    await page.close();
  });

  it("Repurchase: median days from the first to the second purchase, last 12 months", async () => {
    const { asOf } = await dates();
    const expected = await one(`
      select median(days_since_prev) as days
      from customer_orders
      where order_seq = 2 and order_date between date '${asOf}' - interval 364 day and date '${asOf}'`);
    const { page } = await openPage(browser, origin, "/repurchase/");
    expectShows((await tiles(page)).首购到复购中位天数, num(expected.days), "median days to 2nd purchase");
    await page.close();
  });

  it("Customer value: the top 10% of buyers' share of the last 12 months' revenue", async () => {
    const { asOf } = await dates();
    const expected = await one(`
      with buyers as (
          select customer_id, sum(net_revenue) as revenue
          from customer_orders
          where order_date between date '${asOf}' - interval 364 day and date '${asOf}'
          group by 1
      ),
      ranked as (select revenue, row_number() over (order by revenue desc, customer_id) as rank from buyers)
      select sum(revenue) filter (where rank <= ceil(0.1 * (select count(*) from buyers))) / sum(revenue) as share
      from ranked`);
    const { page } = await openPage(browser, origin, "/customer-value/");
    expectShows((await tiles(page))["前10%客户收入占比"], num(expected.share), "top 10% share");
    await page.close();
  });

  it("Churn: the buyers active at the start of the last month, counted from their purchases", async () => {
    const latest = await one("select cast(max(month) as varchar) as month from churn_monthly");
    const firstDay = String(latest.month).slice(0, 10);
    // Active on day d: the latest purchase before d at most churn_days (180) earlier.
    const expected = await one(`
      select count(*) as active
      from (
          select customer_id, max(order_date) as last_date
          from customer_orders where order_date < date '${firstDay}' group by 1
      )
      where last_date >= date '${firstDay}' - interval 180 day`);
    const { page } = await openPage(browser, origin, "/churn/");
    expectShows((await tiles(page)).月初活跃, num(expected.active), "active at start");
    await page.close();
  });

  it("Segments: each segment's size, counted from the per-buyer segments", async () => {
    const { rows } = await db.query("select segment, count(*) as customers from rfm_segments group by 1");
    const { page } = await openPage(browser, origin, "/segments/");
    const shown = await table(page, "客群规模与价值");
    for (const row of rows) {
      const line = shown.find((cells) => cells[0]!.raw === row.segment);
      expectShows(line?.[1]?.text, num(row.customers), `customers of ${row.segment}`);
    }
    await page.close();
  });

  it("Members: the funnel's first step is every customer, its last the advocates", async () => {
    const expected = await one(
      "select count(*) as customers, count(*) filter (where lifecycle_stage = 'advocate') as advocates from customers_summary",
    );
    const { page } = await openPage(browser, origin, "/members/");
    const funnel = await table(page, "客户生命周期漏斗");
    expectShows(
      funnel.find((row) => row[0]!.raw === "fan")?.[1]?.text,
      num(expected.customers),
      "fans and beyond",
    );
    expectShows(
      funnel.find((row) => row[0]!.raw === "advocate")?.[1]?.text,
      num(expected.advocates),
      "advocates",
    );
    await page.close();
  });

  it("Campaigns: the newest campaign's contacts and response rate, from contacts and response", async () => {
    const newest = await one(`
      select campaigns.campaign_id, campaigns.name, coalesce(campaigns.response_window_days, 14) as window_days
      from raw.campaigns as campaigns
      join campaign_uplift as uplift
        on uplift.campaign_id = campaigns.campaign_id and uplift.is_complete
       and uplift.window_days = coalesce(campaigns.response_window_days, 14)
      order by campaigns.started_at desc limit 1`);
    const id = String(newest.campaign_id);
    // Treatment contacts: distinct customers contacted, those also in the holdout left out.
    const contacts = await one(`
      select count(distinct customer_id) as contacts
      from raw.campaign_contacts
      where campaign_id = '${id}' and "group" = 'treatment'
        and customer_id not in (
            select customer_id from raw.campaign_contacts where campaign_id = '${id}' and "group" = 'holdout')`);
    const response = await one(`
      select responders / contacts as rate from campaign_response
      where campaign_id = '${id}' and "group" = 'treatment' and window_days = ${num(newest.window_days)}`);
    const { page } = await openPage(browser, origin, "/campaigns/");
    const rows = await table(page, "活动效果");
    const line = rows.find((row) => row[0]!.text.endsWith(String(newest.name)));
    expectShows(line?.[2]?.text, num(contacts.contacts), `treatment contacts of ${id}`);
    expectShows(line?.[3]?.text, num(response.rate), `response rate of ${id}`);
    await page.close();
    const detail = await openPage(browser, origin, `/campaigns/${id}/`);
    expect(await detail.page.locator("main > h1").textContent()).toBe(String(newest.name));
    const windows = await table(detail.page, "各响应窗口的效果");
    expect(windows.length).toBeGreaterThan(0);
    for (const row of windows) expectShows(row[1]!.text, num(contacts.contacts), `contacts of ${id}`);
    await detail.page.close();
  });

  it("Products: each category's item revenue is the sum of its products'", async () => {
    const { rows } = await db.query("select category, sum(revenue) as revenue from product_roles group by 1");
    const { page } = await openPage(browser, origin, "/products/");
    const shown = await table(page, "品类角色");
    expect(shown.length).toBe(rows.length);
    for (const row of rows) {
      const line = shown.find((cells) => cells[0]!.raw === row.category);
      expectShows(line?.[2]?.text, num(row.revenue), `item revenue of ${row.category}`);
    }
    await page.close();
  });

  it("Data: the row count of the purchases mart", async () => {
    const expected = await one("select count(*) as purchases from customer_orders");
    const { page } = await openPage(browser, origin, "/data/");
    // customer_orders is a view over int_purchases (one row per purchase); the row-count
    // table lists tables, so the purchase table stands for it there.
    const line = (await table(page, "各表行数")).find((row) => row[0]!.raw === "int_purchases");
    expectShows(line?.[1]?.text, num(expected.purchases), "rows of int_purchases");
    expectShows((await tiles(page)).购买次数, num(expected.purchases), "purchases tile");
    await page.close();
  });
});

describe("filters and deep links on the demo site", () => {
  it("switches the repurchase groups to tiers, keeps the choice in the URL and restores it", async () => {
    const { rows } = await db.query(
      "select distinct coalesce(value, 'unknown') as value from repurchase_monthly_by_dimension where dimension = 'tier'",
    );
    const { page, problems } = await openPage(browser, origin, "/repurchase/");
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    const legend = () => groupLegend(page);
    await page.getByRole("button", { name: "会员等级" }).click();
    expect(new URL(page.url()).searchParams.get("dimension")).toBe("tier");
    // One line per tier of the mart (null as 未知), by its name.
    const names = rows.map((row) => (row.value === "unknown" ? "未知" : String(row.value))).sort();
    expect((await legend()).sort()).toEqual(names);
    // The switch fetched nothing: every rendering is already in the page.
    expect(requests).toEqual([]);
    await page.close();

    const deep = await openPage(browser, origin, "/repurchase/?dimension=tier&metric=buyback_rate");
    expect(await deep.page.getByRole("button", { name: "会员等级" }).getAttribute("aria-pressed")).toBe(
      "true",
    );
    expect(await deep.page.locator("#input-metric").inputValue()).toBe("buyback_rate");
    expect((await groupLegend(deep.page)).sort()).toEqual(names);
    expect([...problems, ...deep.problems]).toEqual([]);
    await deep.page.close();
  });

  it("narrows the overview's revenue chart to the last 6 months and back", async () => {
    const { page } = await openPage(browser, origin, "/?period=6m");
    expect(await page.locator("#input-period").inputValue()).toBe("6m");
    // The chart's table lists one row per month: six of them.
    expect(await table(page, "按月收入：老客与新客")).toHaveLength(6);
    await page.locator("#input-period").selectOption("24m");
    expect(await table(page, "按月收入：老客与新客")).toHaveLength(24);
    expect(new URL(page.url()).searchParams.has("period")).toBe(false);
    await page.close();
  });
});

/** The files of a site's `_assets/` folder: name → content. */
async function assetFiles(site: string): Promise<Record<string, string>> {
  const folder = join(site, "_assets");
  const names = (await readdir(folder)).sort();
  return Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await readFile(join(folder, name), "utf8")] as const)),
  );
}

describe("the content-named assets", () => {
  it("are the same files, byte for byte, after a build with another --as-of (other data)", async () => {
    const run = JSON.parse(await readFile(join(build.dist, "huitou-run.json"), "utf8")) as { asOf: string };
    // One month before the first build's analysis date (its latest purchase): other marts, other pages.
    const earlier = new Date(`${run.asOf}T00:00:00Z`);
    earlier.setUTCMonth(earlier.getUTCMonth() - 1);
    const asOf = earlier.toISOString().slice(0, 10);
    const second = await buildDemoOffline(["--as-of", asOf]);
    try {
      const overview = (dist: string) => readFile(join(dist, "index.html"), "utf8");
      expect(await overview(second.dist)).not.toBe(await overview(build.dist));
      const before = await assetFiles(build.dist);
      expect(Object.keys(before)).toEqual([
        expect.stringMatching(/^page\.[0-9a-f]{8}\.js$/),
        expect.stringMatching(/^site\.[0-9a-f]{8}\.css$/),
      ]);
      expect(await assetFiles(second.dist)).toEqual(before);
    } finally {
      await second.remove();
    }
  }, 600_000);
});

describe("the page-weight budget", () => {
  it("keeps every page's own HTML under 100 KB gzip; reports the assets; measures the Overview's LCP", async () => {
    const measured = await transferredGzipBytes(
      browser,
      routes.map((route) => `${origin}${route}`),
    );
    const sizes = Object.fromEntries(routes.map((route) => [route, measured.get(`${origin}${route}`)!]));
    const largest = Math.max(...Object.values(sizes).map((size) => size.bytes));
    const over = Object.entries(sizes).filter(([, size]) => size.bytes > BUDGET);
    expect(over, "pages over 100 KB gzip").toEqual([]);
    // Besides its HTML every page fetches the two shared assets and nothing else (data and
    // charts are inline, no fonts): cached after the first page, they are counted apart.
    const names = Object.keys(await assetFiles(build.dist));
    const assets: Record<string, number> = {};
    for (const [route, size] of Object.entries(sizes)) {
      const fetched = Object.keys(size.files).map((url) => new URL(url).pathname);
      expect(fetched.sort(), route).toEqual(names.map((name) => `/_assets/${name}`));
      Object.assign(assets, size.files);
    }

    const paints: number[] = [];
    for (let i = 0; i < 5; i++) paints.push(await largestContentfulPaint(browser, `${origin}/`));
    const median = [...paints].sort((a, b) => a - b)[2]!;
    const report = {
      buildSeconds: Math.round(build.seconds * 10) / 10,
      overviewLcpMs: { median: Math.round(median), runs: paints.map(Math.round) },
      gzipBytes: Object.fromEntries(Object.entries(sizes).map(([route, size]) => [route, size.bytes])),
      assetGzipBytes: Object.fromEntries(
        Object.entries(assets).map(([url, bytes]) => [new URL(url).pathname, bytes]),
      ),
    };
    await mkdir(join(ROOT, "target"), { recursive: true });
    await writeFile(join(ROOT, "target", "site-budget.json"), `${JSON.stringify(report, null, 2)}\n`);
    // A measurement, not an assertion (see the file comment): reported in the test log.
    const assetBytes = Object.values(assets).reduce((sum, bytes) => sum + bytes, 0);
    console.log(
      `demo site: build ${report.buildSeconds}s, Overview LCP median ${report.overviewLcpMs.median} ms, largest page ${largest} B gzip, shared assets ${assetBytes} B gzip`,
    );
  }, 600_000);
});
