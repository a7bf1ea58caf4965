/**
 * Writes the content-named assets (assets.ts) into a freshly rendered site: the page script,
 * and the stylesheet Astro inlined into every page's head, which moves out into its own file
 * (one file per distinct stylesheet: every page of one build shares the same). Then, for the
 * dev server's incremental render, the copy of those files into the folder it serves.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { ASSETS_DIR, assetPath, externalizeStyles, rootPrefix } from "./assets.ts";

export interface AssetReport {
  /** The file, relative to the site: `_assets/site.3f9a1c2b.css`. */
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** The script's asset path, which the layout puts in every page's `<script src>`. */
export function scriptAsset(script: string): string {
  return assetPath("page", "js", script);
}

/**
 * In the rendered site `dir`: writes the page script as its asset, and moves each page's head
 * stylesheet into its asset, linking it from the page. Resolves to the asset paths written.
 */
export async function emitAssets(dir: string, script: string): Promise<string[]> {
  const written = new Map<string, string>([[scriptAsset(script), script]]);
  for (const path of await htmlFiles(dir)) {
    const output = relative(dir, path).split(sep).join("/");
    const { html, css } = externalizeStyles(await readFile(path, "utf8"), (text) => {
      const asset = assetPath("site", "css", text);
      written.set(asset, text);
      return `${rootPrefix(output)}${asset}`;
    });
    if (css !== undefined) await writeFile(path, html);
  }
  await mkdir(join(dir, ASSETS_DIR), { recursive: true });
  for (const [asset, text] of written) await writeFile(join(dir, asset), text);
  // GitHub Pages publishing from a branch runs Jekyll, which drops folders named `_…`: this
  // empty file turns it off (the nightly workflow's Pages action never runs Jekyll anyway).
  await writeFile(join(dir, ".nojekyll"), "");
  // Hosts that read a `_headers` file (Netlify, Cloudflare Pages) cache the assets for good
  // (a name never changes its bytes) and revalidate the pages, so a refresh shows at once.
  await writeFile(
    join(dir, "_headers"),
    "/_assets/*\n  Cache-Control: public, max-age=31536000, immutable\n/*\n  Cache-Control: no-cache\n",
  );
  return [...written.keys()].sort();
}

/**
 * Copies the assets of a rendered site into `toDir` (the dev server's folder) before its pages
 * are: a file already there has the same bytes (the name says so) and is left alone; a new one
 * is written under a temporary name and renamed, so a page never sees half a file.
 */
export async function copyAssets(fromDir: string, toDir: string): Promise<void> {
  const from = join(fromDir, ASSETS_DIR);
  if (!existsSync(from)) return;
  const to = join(toDir, ASSETS_DIR);
  await mkdir(to, { recursive: true });
  for (const name of await readdir(from)) {
    if (existsSync(join(to, name))) continue;
    const temporary = join(to, `.${name}.${randomBytes(4).toString("hex")}`);
    await writeFile(temporary, await readFile(join(from, name)));
    await rename(temporary, join(to, name));
  }
}

/** The sizes of a site's assets, by path; none when it has no asset folder. */
export async function assetSizes(dir: string): Promise<AssetReport[]> {
  const folder = join(dir, ASSETS_DIR);
  if (!existsSync(folder)) return [];
  const out: AssetReport[] = [];
  for (const name of (await readdir(folder)).sort()) {
    const body = await readFile(join(folder, name));
    out.push({ file: `${ASSETS_DIR}/${name}`, bytes: body.length, gzipBytes: gzipSync(body).length });
  }
  return out;
}

/** The HTML files under `dir`, at any depth. */
export async function htmlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const item of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (item.isDirectory()) out.push(...(await htmlFiles(path)));
    else if (item.name.endsWith(".html")) out.push(path);
  }
  return out;
}
