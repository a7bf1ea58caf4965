/** The dev server's page changes: the reload script, allowed by the page's policy. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { devHtml, RELOAD_SCRIPT, widen } from "../../src/publish/devHtml.ts";

const page = `<html><head><meta http-equiv="content-security-policy" content="default-src 'none'; script-src 'sha256-AAA='; style-src 'sha256-BBB='; img-src data:"></head><body><p>hi</p></body></html>`;

describe("devHtml", () => {
  it("puts the reload script last in the body", () => {
    const html = devHtml(page);
    expect(html.endsWith(`<script>${RELOAD_SCRIPT}</script></body></html>`)).toBe(true);
    expect(html).toContain("<p>hi</p>");
  });

  it("allows exactly that script (by its SHA-256) and the event stream, keeping the rest of the policy", () => {
    const html = devHtml(page);
    const injected = /<script>([\s\S]*)<\/script><\/body>/.exec(html)![1]!;
    const digest = createHash("sha256").update(injected, "utf8").digest("base64");
    const policy = /content="([^"]*)"/.exec(html)![1];
    expect(policy).toBe(
      `default-src 'none'; script-src 'sha256-AAA=' 'sha256-${digest}'; style-src 'sha256-BBB='; img-src data:; connect-src 'self'`,
    );
  });

  it("replaces 'none' rather than adding to it", () => {
    expect(widen("default-src 'none'; script-src 'none'; connect-src 'none'")).toMatch(
      /^default-src 'none'; script-src 'sha256-[^']+'; connect-src 'self'$/,
    );
  });
});
