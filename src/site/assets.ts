/**
 * Assets named by their content: the stylesheet and the page script every page shares are
 * files `_assets/<stem>.<hash>.<ext>`, the hash taken from their bytes, so a refresh that
 * changes only data leaves their names alone and a browser keeps them cached for good
 * (Evidence renames every bundle on every build: its build time is baked into the entry file).
 * Pages refer to them by relative URLs, so the site works from any sub-path (a GitHub Pages
 * project site under /<repo>/). This module is pure; emitAssets.ts writes the files.
 */
import { createHash } from "node:crypto";

/** The folder of the site that holds the content-named assets. */
export const ASSETS_DIR = "_assets";

/** Hex digits of SHA-256 in a name: 32 bits, so two versions of one file share a name once in 4 billion. */
const HASH_DIGITS = 8;

/** The asset's path in the site: `_assets/<stem>.<first hex digits of sha256(content)>.<ext>`. */
export function assetPath(stem: string, ext: string, content: string): string {
  const hash = createHash("sha256").update(content, "utf8").digest("hex").slice(0, HASH_DIGITS);
  return `${ASSETS_DIR}/${stem}.${hash}.${ext}`;
}

/**
 * The URL prefix from a page back to the site's root, for the page's HTML file relative to the
 * site (`index.html` → `./`, `campaigns/C1/index.html` → `../../`), the same prefix the layout
 * puts before its navigation links.
 */
export function rootPrefix(output: string): string {
  const depth = output.split("/").length - 1;
  return depth === 0 ? "./" : "../".repeat(depth);
}

/**
 * Moves the attribute-less `<style>` elements of a page's `<head>` (Astro's stylesheet, inlined
 * by the build) out of the page: the CSS, joined in document order, and the page with one
 * `<link rel="stylesheet">` to `href(css)` in place of the first. Styles anywhere else, or with
 * attributes, stay inline (and are hashed into the page's policy). A page without head styles
 * is returned unchanged with `css` undefined.
 */
export function externalizeStyles(
  html: string,
  href: (css: string) => string,
): { html: string; css: string | undefined } {
  const headEnd = html.search(/<\/head>/i);
  if (headEnd === -1) return { html, css: undefined };
  const head = html.slice(0, headEnd);
  const styles = [...head.matchAll(/<style>([\s\S]*?)<\/style>/gi)];
  if (!styles.length) return { html, css: undefined };
  const css = styles.map((match) => match[1]!).join("\n");
  let out = "";
  let at = 0;
  for (const [index, match] of styles.entries()) {
    out += head.slice(at, match.index);
    if (index === 0) out += `<link rel="stylesheet" href="${href(css)}">`;
    at = match.index + match[0].length;
  }
  return { html: `${out}${head.slice(at)}${html.slice(headEnd)}`, css };
}

/**
 * The relative URLs of the files a page loads (stylesheets, scripts, images; not the links a
 * reader follows), as written in its HTML; `data:` URLs and fragments left out.
 */
export function loadedUrls(html: string): string[] {
  const out: string[] = [];
  for (const match of html.matchAll(/<(link|script|img|source)\b[^>]*>/gi)) {
    const tag = match[0];
    if (match[1]!.toLowerCase() === "link" && !/\brel=["']?(?:stylesheet|preload|modulepreload)\b/i.test(tag))
      continue;
    const url = /\s(?:src|href)=["']?([^"'\s>]+)/i.exec(tag)?.[1];
    if (url && !url.startsWith("data:") && !url.startsWith("#")) out.push(url);
  }
  return out;
}
