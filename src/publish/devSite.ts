/**
 * The dashboard for `huitou dev`, rendered incrementally: every compiled page is kept, and
 * after a rebuild only the pages whose queries read a rebuilt relation (or whose file was
 * edited) run their queries again and are rendered again; the others keep their HTML. A new
 * or deleted page, or a change to the navigation, renders the whole site once more.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { openDuckDB } from "../engine/adapters/duckdb.ts";
import { errors, HuitouError, HuitouErrors } from "../errors.ts";
import { astroBuild } from "../site/astroBuild.ts";
import { compilePage } from "../site/compile/compilePage.ts";
import { discoverPages, matchTemplate, type PageFile } from "../site/discoverPages.ts";
import { copyAssets } from "../site/emitAssets.ts";
import { loadGlossary } from "../site/glossary.ts";
import { type ParsedPage, parsePage } from "../site/parsePage.ts";
import { finishHtml, linksOf, navigation } from "../site/siteParts.ts";
import type { CompiledPage, Locale } from "../site/types.ts";
import { nodeDeployFs } from "./deployFs.ts";
import { pageAffected } from "./pageDeps.ts";
import { warehouseAsOf } from "./runInfo.ts";
import { swapSite } from "./siteSwap.ts";

export interface DevSiteOptions {
  projectDir: string;
  warehousePath: string;
  /** The folder the dev server serves. */
  outDir: string;
  demo: boolean;
  locale?: Locale;
  /** The built-in pages (huitou's pages/); a test passes its own. */
  builtInPages?: string;
}

export interface DevSite {
  /** Compiles and renders every page. */
  renderAll(): Promise<SiteUpdate>;
  /** After `relations` were rebuilt and `pageFiles` (project-relative) edited: the affected pages only. */
  update(relations: ReadonlySet<string>, pageFiles: ReadonlySet<string>): Promise<SiteUpdate>;
}

/** What an update did: routes whose queries ran again, and routes whose HTML was written again. */
export interface SiteUpdate {
  compiled: string[];
  rendered: string[];
}

interface Entry {
  file: PageFile;
  source: string;
  parsed: ParsedPage;
}

const BUILT_IN_PAGES = fileURLToPath(new URL("../../pages", import.meta.url));
const SCRIPT = fileURLToPath(new URL("../site/client/page.js", import.meta.url));

export function devSite(options: DevSiteOptions): DevSite {
  const locale = options.locale ?? "zh";
  const builtIn = options.builtInPages ?? BUILT_IN_PAGES;
  let entries = new Map<string, Entry>();
  const compiled = new Map<string, { key: string; page: CompiledPage }>();
  let navKey = "";
  let chartId = 0;
  let asOf = "";

  async function read(file: PageFile): Promise<Entry> {
    const source = await readFile(file.path, "utf8");
    return { file, source, parsed: parsePage(source, file.display) };
  }

  async function readAll(): Promise<Map<string, Entry>> {
    const out = new Map<string, Entry>();
    const problems: HuitouError[] = [];
    for (const file of await discoverPages(builtIn, options.projectDir)) {
      try {
        out.set(file.key, await read(file));
      } catch (error) {
        if (!(error instanceof HuitouError)) throw error;
        problems.push(error);
      }
    }
    if (problems.length) throw problems.length === 1 ? problems[0] : new HuitouErrors(problems);
    return out;
  }

  /** Compiles the pages of `keys` (and template pages newly linked); returns routes compiled and dropped. */
  async function compile(keys: ReadonlySet<string>): Promise<{ routes: string[]; dropped: string[] }> {
    if (!existsSync(options.warehousePath)) throw errors.noWarehouse(options.warehousePath);
    const target = dirname(options.warehousePath);
    const glossary = await loadGlossary(options.projectDir, join(target, "manifest.json"));
    const docs = {
      manifest: await readJson(join(target, "manifest.json")),
      runResults: await readJson(join(target, "run_results.json")),
    };
    const db = await openDuckDB(options.warehousePath, { readOnly: true });
    const routes: string[] = [];
    const dropped: string[] = [];
    try {
      asOf = await warehouseAsOf(db);
      const one = async (entry: Entry, route: string, params?: Record<string, string>) => {
        const env = {
          file: entry.file.display,
          source: entry.source,
          route,
          locale,
          asOf,
          glossary,
          docs,
          nextId: () => `c${(chartId++).toString(36)}`,
        };
        const page = await compilePage(entry.parsed, env, (sql) => db.query(sql), params ? { params } : {});
        compiled.set(route, { key: entry.file.key, page });
        routes.push(route);
      };
      for (const [key, entry] of entries)
        if (!entry.file.param && keys.has(key)) await one(entry, entry.file.route);
      // Template pages: one per value another page links to (as buildSite does).
      const linked = new Set(
        [...compiled.values()]
          .filter(({ key }) => !entries.get(key)?.file.param)
          .flatMap(({ page }) => linksOf(page.nodes, page.route)),
      );
      for (const [key, entry] of entries) {
        if (!entry.file.param) continue;
        const prefix = entry.file.route.slice(0, entry.file.route.indexOf("["));
        const wanted = new Map<string, string>();
        for (const path of linked) {
          const value = matchTemplate(entry.file.route, path);
          if (value !== undefined) wanted.set(`${prefix}${encodeURIComponent(value)}/`, value);
        }
        for (const [route, { key: owner }] of compiled) {
          if (owner === key && !wanted.has(route)) {
            compiled.delete(route);
            dropped.push(route);
          }
        }
        for (const [route, value] of [...wanted].sort()) {
          if (keys.has(key) || !compiled.has(route)) await one(entry, route, { [entry.file.param]: value });
        }
      }
    } finally {
      await db.close();
    }
    return { routes, dropped };
  }

  /** Renders `routes` with Astro and writes their HTML into `dir`. */
  async function render(routes: string[], dir: string): Promise<void> {
    const scratch = `${options.outDir}.render-${randomBytes(4).toString("hex")}`;
    const pages = [...compiled.values()].map(({ page }) => page);
    try {
      await astroBuild(
        {
          locale,
          demo: options.demo,
          run: { id: "dev", refreshedAt: new Date().toISOString(), asOf },
          nav: navigation([...entries.values()], pages, locale),
          pages: routes.map((route) => compiled.get(route)!.page),
          script: (await readFile(SCRIPT, "utf8")).trim(),
        },
        { outDir: scratch, scratchDir: `${scratch}-cache` },
      );
      // The content-named assets first, so no page written below refers to a missing one.
      await copyAssets(scratch, dir);
      for (const path of await htmlFiles(scratch)) {
        const output = relative(scratch, path).split(sep).join("/");
        const route = `/${output.replace(/index\.html$/, "")}`;
        const page = compiled.get(decodeURI(route))?.page ?? compiled.get(route)?.page;
        await mkdir(dirname(join(dir, output)), { recursive: true });
        await writeFile(join(dir, output), finishHtml(await readFile(path, "utf8"), page?.file ?? output));
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
      await rm(`${scratch}-cache`, { recursive: true, force: true });
    }
  }

  const currentNav = () =>
    JSON.stringify(
      navigation(
        [...entries.values()],
        [...compiled.values()].map(({ page }) => page),
        locale,
      ),
    );

  async function renderAll(): Promise<SiteUpdate> {
    entries = await readAll();
    compiled.clear();
    await compile(new Set(entries.keys()));
    const staged = `${options.outDir}.staged`;
    await rm(staged, { recursive: true, force: true });
    const routes = [...compiled.keys()].sort();
    await render(routes, staged);
    await swapSite(staged, options.outDir, nodeDeployFs, process.pid);
    navKey = currentNav();
    return { compiled: routes, rendered: routes };
  }

  async function update(relations: ReadonlySet<string>, pageFiles: ReadonlySet<string>): Promise<SiteUpdate> {
    const files = await discoverPages(builtIn, options.projectDir);
    const sameFiles =
      files.length === entries.size && files.every((file) => entries.get(file.key)?.file.path === file.path);
    if (!sameFiles) return renderAll();
    const keys = new Set<string>();
    for (const file of files) {
      if (pageFiles.has(file.display)) {
        entries.set(file.key, await read(file));
        keys.add(file.key);
      }
    }
    for (const [key, entry] of entries) {
      if (pageAffected(entry.parsed.queries, entry.source, relations)) keys.add(key);
    }
    if (keys.size === 0) return { compiled: [], rendered: [] };
    const { routes, dropped } = await compile(keys);
    for (const route of dropped)
      await rm(join(options.outDir, decodeURI(route).slice(1)), { recursive: true, force: true });
    // A title in the navigation changed: every page shows it, so every page is rendered again.
    const nav = currentNav();
    const toRender = nav === navKey ? routes.sort() : [...compiled.keys()].sort();
    navKey = nav;
    await render(toRender, options.outDir);
    return { compiled: routes, rendered: toRender };
  }

  return { renderAll, update };
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch {
    return undefined;
  }
}

async function htmlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const item of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, item.name);
    if (item.isDirectory()) out.push(...(await htmlFiles(path)));
    else if (item.name.endsWith(".html")) out.push(path);
  }
  return out;
}
