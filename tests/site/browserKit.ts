/**
 * What the browser tests share: a static server over a built site, Debian's Chromium through
 * playwright-core (no download, no network), a page opener that records console errors and
 * requests to any other host, axe's serious findings, and the bytes a page transfers.
 */
import { readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { type Browser, chromium, type Page } from "playwright-core";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SCREENSHOTS = join(ROOT, "target", "screenshots");
const AXE = join(ROOT, "node_modules", "axe-core", "axe.min.js");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".png": "image/png",
  ".json": "application/json",
};

/**
 * Serves `root` on 127.0.0.1 (a folder's index.html for its path) under `base` (`/huitou/`
 * serves it the way GitHub Pages serves a project site; anything outside is not found);
 * resolves to the origin.
 */
export async function serve(root: string, base = "/"): Promise<{ server: Server; origin: string }> {
  const http = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    if (!pathname.startsWith(base)) {
      response.writeHead(404).end();
      return;
    }
    let path = join(root, pathname.slice(base.length));
    try {
      if ((await stat(path)).isDirectory()) path = join(path, "index.html");
      response.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
      response.end(await readFile(path));
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { server: http, origin: `http://127.0.0.1:${port}` };
}

/** Debian's Chromium, headless, with its background traffic (updates, sync) off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

export interface Opened {
  page: Page;
  /** Console errors and warnings, page errors, and requests to anything but `origin`. */
  problems: string[];
}

/** Opens `origin + route` at a width; records what would make the page untrustworthy. */
export async function openPage(
  browser: Browser,
  origin: string,
  route: string,
  options: { width?: number; height?: number; colorScheme?: "light" | "dark" } = {},
): Promise<Opened> {
  const page = await browser.newPage({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    colorScheme: options.colorScheme ?? "light",
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

/** axe-core's serious and critical violations, with every disclosure opened first. */
export async function axeSerious(page: Page): Promise<string[]> {
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

/** What one page load fetched, each body gzipped as a server would send it. */
export interface Transferred {
  /** The page's own HTML. */
  bytes: number;
  /** Everything else it fetched (stylesheet, script, font, image, data), by URL. */
  files: Record<string, number>;
}

/**
 * Everything each page load fetches: the bytes over the wire, by page URL. One tab, navigated
 * from URL to URL with its cache off, so every load fetches it all.
 */
export async function transferredGzipBytes(
  browser: Browser,
  urls: string[],
): Promise<Map<string, Transferred>> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const session = await context.newCDPSession(page);
  await session.send("Network.setCacheDisabled", { cacheDisabled: true });
  let bodies: Promise<[string, number]>[] = [];
  page.on("response", (response) => {
    const url = response.url();
    if (url.startsWith("data:")) return;
    bodies.push(
      response
        .body()
        .catch(() => Buffer.alloc(0))
        .then((body) => [url, gzipSync(body).length]),
    );
  });
  const out = new Map<string, Transferred>();
  for (const url of urls) {
    bodies = [];
    await page.goto(url, { waitUntil: "load" });
    const files = Object.fromEntries(await Promise.all(bodies));
    const bytes = files[url] ?? 0;
    delete files[url];
    out.set(url, { bytes, files });
  }
  await context.close();
  return out;
}

/** The largest contentful paint of one fresh load of `url`, in milliseconds. */
export async function largestContentfulPaint(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: "load" });
  const lcp = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          resolve(entries[entries.length - 1]!.startTime);
        }).observe({ type: "largest-contentful-paint", buffered: true });
      }),
  );
  await context.close();
  return lcp;
}

/** A route's name for its screenshot files: `/` is `overview`, `/campaigns/X/` `campaigns-X`. */
export function shotName(route: string): string {
  return route === "/" ? "overview" : route.replace(/^\/|\/$/g, "").replaceAll("/", "-");
}
