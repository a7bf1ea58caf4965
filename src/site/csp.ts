/**
 * After Astro has written the pages: the Content-Security-Policy of each page, from the hashes
 * of its own inline script and styles (nothing else may run or style it, and it may load
 * nothing from anywhere: `default-src 'none'`), and a check that no page refers to another host.
 */
import { createHash } from "node:crypto";

const PLACEHOLDER = "HUITOU_CSP";

function hashes(html: string, tag: "script" | "style"): string[] {
  const out = new Set<string>();
  const pattern = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, "g");
  for (const match of html.matchAll(pattern)) {
    out.add(`'sha256-${createHash("sha256").update(match[1]!, "utf8").digest("base64")}'`);
  }
  return [...out];
}

/** The policy for one page's HTML. */
export function policyFor(html: string): string {
  const scripts = hashes(html, "script");
  const styles = hashes(html, "style");
  return [
    "default-src 'none'",
    `script-src ${scripts.length ? scripts.join(" ") : "'none'"}`,
    `style-src ${styles.length ? styles.join(" ") : "'none'"}`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** Fills the page's CSP meta tag; throws if the layout lost its placeholder. */
export function applyPolicy(html: string): string {
  if (!html.includes(PLACEHOLDER)) throw new Error("invalid page: no content-security-policy placeholder");
  return html.replace(PLACEHOLDER, policyFor(html));
}

/** URLs in attributes that would make the browser contact another host. */
export function externalReferences(html: string): string[] {
  const found: string[] = [];
  for (const match of html.matchAll(
    /\s(?:src|href|action|srcset|poster|data|xlink:href)\s*=\s*["']?\s*((?:https?:)?\/\/[^"'\s>]+)/gi,
  )) {
    found.push(match[1]!);
  }
  for (const match of html.matchAll(/url\(\s*["']?((?:https?:)?\/\/[^"')]+)/gi)) found.push(match[1]!);
  for (const match of html.matchAll(/@import\s+["']?((?:https?:)?\/\/[^"';]+)/gi)) found.push(match[1]!);
  return found;
}
