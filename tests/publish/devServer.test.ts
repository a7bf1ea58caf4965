/**
 * The dev server over HTTP and in Debian's Chromium: it serves the site folder (and nothing
 * outside it), injects the reload script, and an open page reloads itself when told to,
 * with no Content-Security-Policy violation, or shows why a rebuild failed.
 */

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { get, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENTS_PATH, RELOAD_SCRIPT } from "../../src/publish/devHtml.ts";
import { type DevServer, startDevServer } from "../../src/publish/devServer.ts";

let dir: string;
let server: DevServer;
let browser: Browser | undefined;

const pageHtml = (text: string) =>
  `<!doctype html><html><head><meta http-equiv="content-security-policy" content="default-src 'none'; script-src 'none'; style-src 'none'"><title>t</title></head><body><p id="v">${text}</p></body></html>`;

/** GET `path` exactly as written (no normalization of `..`). */
function fetchRaw(path: string): Promise<{ status: number; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: "GET" }, (response) => {
      let body = "";
      response.on("data", (chunk) => {
        body += String(chunk);
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "huitou-devserver-"));
  await mkdir(join(dir, "site", "top"), { recursive: true });
  await writeFile(join(dir, "site", "index.html"), pageHtml("one"));
  await writeFile(join(dir, "site", "top", "index.html"), pageHtml("top"));
  await writeFile(join(dir, "secret.txt"), "outside the site");
  server = await startDevServer({ dir: join(dir, "site"), host: "127.0.0.1", port: 0 });
});

afterAll(async () => {
  await browser?.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the dev server over HTTP", () => {
  it("serves pages with the reload script, and folders by their index.html", async () => {
    const home = await fetchRaw("/");
    expect(home.status).toBe(200);
    expect(home.body).toContain(`<script>${RELOAD_SCRIPT}</script></body>`);
    expect((await fetchRaw("/top/")).body).toContain('<p id="v">top</p>');
  });

  it("answers 404 for what is missing or outside the site folder", async () => {
    expect((await fetchRaw("/nowhere/")).status).toBe(404);
    expect((await fetchRaw("/../secret.txt")).status).toBe(404);
    expect((await fetchRaw("/%2e%2e/secret.txt")).status).toBe(404);
  });

  it("sends `reload` to every listener", async () => {
    const url = new URL(EVENTS_PATH, server.url);
    const received = await new Promise<string>((resolve, reject) => {
      get(url, (response) => {
        let text = "";
        response.on("data", (chunk) => {
          text += String(chunk);
          if (text.includes("retry:") && !text.includes("event:")) server.reload();
          if (text.includes("\n\nevent: reload")) {
            response.destroy();
            resolve(text);
          }
        });
      }).on("error", reject);
    });
    expect(received).toBe("retry: 1000\n\nevent: reload\ndata: {}\n\n");
  });
});

describe("the dev server in Chromium", () => {
  it("reloads an open page after a rebuild, and shows a failed rebuild's error", async () => {
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox"],
    });
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    await page.goto(server.url);
    expect(await page.textContent("#v")).toBe("one");
    // Wait (bounded) until the page's event stream is open before announcing the rebuild.
    for (let i = 0; i < 100 && server.listening() === 0; i++)
      await new Promise((done) => setTimeout(done, 50));
    expect(server.listening()).toBe(1);
    await writeFile(join(dir, "site", "index.html"), pageHtml("two"));
    server.reload();
    await page.waitForFunction(() => document.getElementById("v")?.textContent === "two");
    for (let i = 0; i < 100 && server.listening() === 0; i++)
      await new Promise((done) => setTimeout(done, 50));
    server.failure("error[sql] models/top_region.sql:4:23: syntax error");
    await page.waitForSelector("#huitou-dev-failure");
    expect(await page.textContent("#huitou-dev-failure")).toBe(
      "error[sql] models/top_region.sql:4:23: syntax error",
    );
    expect(problems).toEqual([]);
  }, 60_000);
});
