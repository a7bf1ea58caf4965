/**
 * After Astro has written the pages: the Content-Security-Policy of each page. Scripts and
 * styles come from the site's own files (`'self'`, when the page loads any: the content-named
 * assets) or are inline and named by their hashes; nothing else may run or style the page, and
 * it may load nothing from anywhere (`default-src 'none'`). And a check that no page refers to
 * another host.
 */
import { createHash } from "node:crypto";

const PLACEHOLDER = "HUITOU_CSP";

/** The hashes of the inline elements of `tag` (a script with `src` is not inline). */
function inlineHashes(html: string, tag: "script" | "style"): string[] {
  const out = new Set<string>();
  const pattern = new RegExp(`<${tag}(\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, "gi");
  for (const match of html.matchAll(pattern)) {
    if (tag === "script" && /\ssrc\s*=/i.test(match[1] ?? "")) continue;
    out.add(`'sha256-${createHash("sha256").update(match[2]!, "utf8").digest("base64")}'`);
  }
  return [...out];
}

/** A directive's sources: `'self'` when the page loads a file of the kind, its inline hashes, else `'none'`. */
function sources(self: boolean, hashes: string[]): string {
  const all = [...(self ? ["'self'"] : []), ...hashes];
  return all.length ? all.join(" ") : "'none'";
}

/** The policy for one page's HTML. */
export function policyFor(html: string): string {
  const scriptFiles = /<script\s[^>]*\bsrc\s*=/i.test(html);
  const styleFiles = /<link\s[^>]*\brel=["']?stylesheet\b/i.test(html);
  return [
    "default-src 'none'",
    `script-src ${sources(scriptFiles, inlineHashes(html, "script"))}`,
    `style-src ${sources(styleFiles, inlineHashes(html, "style"))}`,
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
