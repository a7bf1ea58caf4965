/**
 * End to end: the built-in pages (and an analyst's page) over a small hand-written warehouse
 * (tests/fixtures/site-shop/warehouse.sql), built with Astro. Checks the numbers shown, that
 * data is escaped, that pages refer to no other host, their Content-Security-Policy, their size,
 * and that a broken page fails the build without touching the previous site.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HuitouError } from "../../src/errors.ts";
import { buildSite, type SiteReport } from "../../src/site/buildSite.ts";
import { fixtureWarehouse } from "./helpers.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
const RUN = { id: "run-42", refreshedAt: "2024-06-16T02:00:00Z", asOf: "2024-06-15" };

let dir: string;
let warehouse: string;
let report: SiteReport;
const html = (route: string) => readFile(join(report.outDir, route, "index.html"), "utf8");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "huitou-site-"));
  warehouse = await fixtureWarehouse(dir);
  report = await buildSite({
    projectDir: join(FIXTURES, "site-shop"),
    warehousePath: warehouse,
    outDir: join(dir, "dist"),
    demo: true,
    run: RUN,
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("buildSite (zh, demo)", () => {
  it("builds every built-in page, the analyst's page, and one page per linked campaign", () => {
    expect(report.pages.map((page) => page.route)).toEqual([
      "/",
      "/analyst/",
      "/campaigns/",
      "/campaigns/C1/",
      "/campaigns/C2/",
      "/churn/",
      "/customer-value/",
      "/data/",
      "/members/",
      "/products/",
      "/repurchase/",
      "/retention/",
      "/segments/",
    ]);
    expect(report.pages.find((page) => page.route === "/analyst/")?.file).toBe("pages/analyst.md");
  });

  it("shows the overview's numbers as computed by hand from the fixture", async () => {
    const page = await html("/");
    // May (last complete month): 200 buyers, +25.0% on April's 160 (200 / 160 - 1 = 0.25).
    expect(page).toMatch(/<div class="tile-value[^"]*" data-value[^>]*>200<\/div>/);
    expect(page).toContain(">+25.0%<");
    // Repurchase rate 23.0%, 0.23 - 0.25 = -2.0 points; returning revenue share 32,000 / 52,000 = 61.5%.
    expect(page).toContain(">23.0%<");
    expect(page).toContain(">-2.0个百分点<");
    expect(page).toContain(">61.5%<");
    // Churn 4.5%, 0.045 - 0.05 = -0.5 points, good when it falls.
    expect(page).toMatch(/tile-delta good[^"]*">\s*<span class="delta-value[^"]*">-0.5个百分点</);
    // Predicted CLV is held back by the gate (12 buyers < 500): a dash, and the tile says why.
    expect(page).toMatch(/预测12个月CLV<\/span>[\s\S]*?data-value[^>]*>—<\/div>/);
    expect(page).toContain("未发布：buyers 12 &lt; clv_min_buyers 500");
  });

  it("renders an analyst's Evidence page", async () => {
    const page = await html("/analyst/");
    // 3 non-`all` rows; largest wechat (微信 by its display name) with 350 buyers; ltv_to_cac 7.28 → 7.28×.
    expect(page).toContain("3 channels, the largest is <strong>微信</strong> with 350 buyers.");
    expect(page).toContain("<li>微信: 7.28×</li>");
  });

  it("escapes product and campaign names: <script> renders as text", async () => {
    for (const route of ["/campaigns/", "/campaigns/C1/", "/products/"]) {
      const page = await html(route);
      // Not as an element, and not even inside an attribute value or an SVG label.
      expect(page).not.toContain("<script>alert");
      expect(page).toMatch(/&lt;script&gt;alert/);
    }
    // The only script elements are the page script.
    const scripts = (await html("/campaigns/C1/")).match(/<script\b/g) ?? [];
    expect(scripts).toHaveLength(1);
  });

  it("refers to no other host", async () => {
    for (const page of report.pages) {
      const text = await html(page.route);
      expect(text.match(/\b(?:src|href|action)\s*=\s*["']?(?:https?:)?\/\//gi), page.route).toBeNull();
      expect(text.match(/url\(\s*["']?(?:https?:)?\/\//gi), page.route).toBeNull();
    }
  });

  it("sets a Content-Security-Policy that allows the site's own script and stylesheet, nothing else", async () => {
    const page = await html("/retention/");
    const policy = /<meta http-equiv="content-security-policy" content="([^"]+)"/.exec(page)?.[1] ?? "";
    expect(policy).toContain("default-src 'none'");
    // Both come from files of the site (tests/site/emitAssets.test.ts): 'self', no inline hash.
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("style-src 'self';");
    expect(page).toMatch(/<script src="\.\.\/_assets\/page\.[0-9a-f]{8}\.js"><\/script>/);
    // Inline style attributes would need 'unsafe-inline': there are none.
    expect(page).not.toMatch(/\sstyle="/);
  });

  it("keeps every page's own HTML under 100 KB gzip; the shared assets are counted once, apart", async () => {
    for (const page of report.pages) {
      const text = await html(page.route);
      expect(gzipSync(text).length, page.route).toBeLessThan(100 * 1024);
      expect(page.gzipBytes).toBe(gzipSync(text).length);
    }
    // The stylesheet and the page script: each a few kilobytes gzip.
    expect(report.assets?.map((asset) => asset.file.replace(/\.[0-9a-f]{8}\./, "."))).toEqual([
      "_assets/page.js",
      "_assets/site.css",
    ]);
    for (const asset of report.assets ?? []) expect(asset.gzipBytes, asset.file).toBeLessThan(10 * 1024);
  });

  it("marks the page Chinese, shows the demo banner and the run in the footer", async () => {
    const page = await html("/churn/");
    expect(page).toContain('<html lang="zh-CN"');
    expect(page).toContain("演示数据");
    expect(page).toContain("数据更新于 2024年6月16日 02:00，运行编号 run-42；分析截止日 2024年6月15日");
    // Navigation lists the ten subject pages first (sidebar_position), then the analyst's page.
    const nav = [...page.matchAll(/<li[^>]*><a href="[^"]*"[^>]*>([^<]+)<\/a><\/li>/g)].map((m) => m[1]);
    expect(nav).toEqual([
      "概览",
      "留存",
      "复购",
      "客户价值",
      "流失",
      "客户分群",
      "会员",
      "营销活动",
      "商品",
      "数据",
      "分析师页面",
    ]);
  });

  it("documents the run on the Data page: tests, lineage and the published columns' glossary", async () => {
    const page = await html("/data/");
    // The warning sorts before the pass; its message is escaped.
    expect(page.indexOf("expression_is_true_churn_monthly")).toBeLessThan(
      page.indexOf("unique_repurchase_monthly_month"),
    );
    expect(page).toContain("2 rows &lt;b&gt;failed&lt;/b&gt;");
    expect(page).toContain("int_purchases");
    expect(page).toContain("复购率 - buyers with 2+ purchases in the month / buyers.");
    // Intermediate models are in the lineage but not in the glossary.
    expect(page).not.toContain("Internal: not in the glossary.");
  });

  it("puts each metric's definition one click away", async () => {
    const page = await html("/");
    expect(page).toMatch(/<details class="def[^"]*">\s*<summary[^>]*aria-label="定义: 购买人数"/);
    expect(page).toContain("Customers with a purchase in the month.");
  });

  it("says which condition held back predicted CLV", async () => {
    expect(await html("/customer-value/")).toContain(
      "预测 CLV 未发布，未满足发布条件：buyers 12 &lt; clv_min_buyers 500",
    );
  });
});

describe("buildSite failures", () => {
  it("fails on a broken page naming the file, the query and the line, and keeps the previous site", async () => {
    const out = join(dir, "kept");
    await mkdir(out, { recursive: true });
    await writeFile(join(out, "index.html"), "previous site");
    const error = await buildSite({
      projectDir: join(FIXTURES, "site-broken"),
      warehousePath: warehouse,
      outDir: out,
      demo: false,
      run: RUN,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HuitouError);
    const huitou = error as HuitouError;
    // The `revenue` fence opens on line 11, so its SQL starts on line 12, where `revenu` is
    // (DuckDB reports LINE 1 of the query: 12 + 1 - 1 = 12).
    expect({ name: huitou.name, file: huitou.location?.file, line: huitou.location?.line }).toEqual({
      name: "page-query",
      file: "pages/broken.md",
      line: 12,
    });
    expect(huitou.message).toMatch(/^query 'revenue' failed: .*revenu/);
    expect(await readFile(join(out, "index.html"), "utf8")).toBe("previous site");
  });

  it("says when there is no warehouse", async () => {
    const error = (await buildSite({
      projectDir: dir,
      warehousePath: join(dir, "none.duckdb"),
      outDir: join(dir, "x"),
      demo: false,
      run: RUN,
    }).catch((caught: unknown) => caught)) as HuitouError;
    expect(error.name).toBe("no-warehouse");
    expect(existsSync(join(dir, "x"))).toBe(false);
  });
});

describe("buildSite without a network", () => {
  it("builds the site inside `unshare -n`, where no host can be reached", async () => {
    const offline = await mkdtemp(join(tmpdir(), "huitou-offline-"));
    try {
      const script = fileURLToPath(new URL("./offlineBuild.ts", import.meta.url));
      const output = execFileSync("unshare", ["-n", process.execPath, script, offline], {
        encoding: "utf8",
        timeout: 120_000,
      });
      // The 10 subject pages, the analyst's page and the two campaign pages.
      expect(JSON.parse(output)).toEqual({ pages: 13 });
    } finally {
      await rm(offline, { recursive: true, force: true });
    }
  });
});

describe("buildSite (en)", () => {
  it("builds English pages without the demo banner", async () => {
    const en = await buildSite({
      projectDir: join(FIXTURES, "site-shop"),
      warehousePath: warehouse,
      outDir: join(dir, "en"),
      locale: "en",
      demo: false,
      run: RUN,
    });
    const page = await readFile(join(en.outDir, "index.html"), "utf8");
    expect(page).toContain('<html lang="en"');
    expect(page).toContain("<h1>Overview</h1>");
    expect(page).not.toContain("Demo data");
    // Same May figures in English formats: -2.0 pp; churn -0.5 pp.
    expect(page).toContain(">-2.0 pp<");
    expect(page).toContain("Data refreshed at Jun 16, 2024 02:00, from run run-42; as of Jun 15, 2024");
  });
});

describe("escapeAttributeBrackets", () => {
  it("escapes brackets in attribute values only", async () => {
    const { escapeAttributeBrackets } = await import("../../src/site/harden.ts");
    const input = `<td data-v="<b>x</b>" title='a>b'>1 &lt; 2 "q" <em>ok</em></td><script>if (a < b && c > d) x = "<p>";</script><!-- <i a="<"> -->`;
    expect(escapeAttributeBrackets(input)).toBe(
      `<td data-v="&lt;b&gt;x&lt;/b&gt;" title='a&gt;b'>1 &lt; 2 "q" <em>ok</em></td><script>if (a < b && c > d) x = "<p>";</script><!-- <i a="<"> -->`,
    );
  });
});
