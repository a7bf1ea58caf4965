/**
 * `buildSite`: the dashboard from the warehouse. Reads the pages (built-in and the project's),
 * runs their queries against the warehouse opened read-only, compiles them (template pages
 * once per value linked from another page; a page whose inputs are unchanged since the last
 * build is taken from the page cache, pageCache.ts), renders them all with Astro into a scratch folder
 * (the shared stylesheet and page script as content-named files under `_assets/`), fills each
 * page's Content-Security-Policy, checks that nothing refers to another host or to a missing
 * file, and only then renames the result over `outDir`. A broken page fails the build, naming
 * the page file, the query and the line; the previous site stays in place.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, posix, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { Adapter } from "../engine/adapters/adapter.ts";
import { openDuckDB } from "../engine/adapters/duckdb.ts";
import { errors, HuitouError, HuitouErrors } from "../errors.ts";
import { loadedUrls } from "./assets.ts";
import { astroBuild } from "./astroBuild.ts";
import { compilePage } from "./compile/compilePage.ts";
import type { PageEnv } from "./compile/scope.ts";
import { compilerVersion } from "./compilerVersion.ts";
import { discoverPages, matchTemplate, type PageFile } from "./discoverPages.ts";
import { type AssetReport, assetSizes, htmlFiles } from "./emitAssets.ts";
import { type Glossary, loadGlossary } from "./glossary.ts";
import { type CacheStats, hashOf, PAGE_CACHE_FILE, PageCache } from "./pageCache.ts";
import { type ParsedPage, parsePage } from "./parsePage.ts";
import { finishHtml, linksOf, navigation } from "./siteParts.ts";
import type { CompiledPage, Locale, SiteData } from "./types.ts";

export interface BuildSiteOptions {
  projectDir: string;
  warehousePath: string;
  /**
   * An open connection to the warehouse, for a build that renders the site before it
   * publishes the warehouse (the file is still open for writing then). Every page query runs
   * in a read-only transaction on it. Without it, the file is opened read-only.
   */
  warehouse?: Adapter;
  outDir: string;
  locale?: Locale;
  demo: boolean;
  run: { id: string; refreshedAt: string; asOf: string };
  /** Progress lines for the terminal or the CI log. */
  onProgress?: (message: string) => void;
  /**
   * Reuse the compiled pages of the previous build whose inputs are unchanged (the cache
   * `target/site-pages.json`, see pageCache.ts). On by default; false compiles every page
   * and leaves the cache alone.
   */
  cache?: boolean;
}

export interface PageReport {
  route: string;
  file: string;
  /** The HTML file, relative to outDir. */
  output: string;
  /** The page's own HTML: the shared assets are counted apart, once. */
  bytes: number;
  gzipBytes: number;
}

export interface SiteReport {
  outDir: string;
  pages: PageReport[];
  /**
   * The content-named files every page shares (stylesheet, page script), downloaded once and
   * cached. Absent from reports of renderers that write no assets (test doubles).
   */
  assets?: AssetReport[];
  /** The pages' HTML, without the assets. */
  totalBytes: number;
  maxGzipBytes: number;
  durationMs: number;
  /** The routes compiled afresh and those taken unchanged from the previous build's cache. */
  pageCache?: CacheStats;
}

const BUILT_IN_PAGES = fileURLToPath(new URL("../../pages", import.meta.url));
const SCRIPT = fileURLToPath(new URL("./client/page.js", import.meta.url));

interface Source {
  file: PageFile;
  source: string;
  parsed: ParsedPage;
}

/** Builds the site; resolves to the per-page sizes. */
export async function buildSite(options: BuildSiteOptions): Promise<SiteReport> {
  const started = performance.now();
  const locale = options.locale ?? "zh";
  const projectDir = resolve(options.projectDir);
  const outDir = resolve(options.outDir);
  if (!options.warehouse && !existsSync(options.warehousePath))
    throw errors.noWarehouse(options.warehousePath);

  const sources: Source[] = [];
  const problems: HuitouError[] = [];
  for (const file of await discoverPages(BUILT_IN_PAGES, projectDir)) {
    const source = await readFile(file.path, "utf8");
    try {
      sources.push({ file, source, parsed: parsePage(source, file.display) });
    } catch (error) {
      if (error instanceof HuitouError) problems.push(error);
      else throw error;
    }
  }
  if (problems.length) throw problems.length === 1 ? problems[0] : new HuitouErrors(problems);

  const targetDir = dirname(resolve(options.warehousePath));
  const glossary = await loadGlossary(projectDir, join(targetDir, "manifest.json"));
  const docs = {
    manifest: await readJson(join(targetDir, "manifest.json")),
    runResults: await readJson(join(targetDir, "run_results.json")),
  };
  const cacheFile = join(targetDir, PAGE_CACHE_FILE);
  const cache = options.cache === false ? undefined : await PageCache.open(cacheFile);
  // What every page's compile reads besides its own file, params and query results; as_of and
  // the run's artifacts change from run to run, and count only for the pages that read them.
  const shared = hashOf(await compilerVersion(), locale, glossaryData(glossary));
  let docsHash: string | undefined;
  const tracked = { asOf: () => hashOf(options.run.asOf), docs: () => (docsHash ??= hashOf(docs)) };
  const db = options.warehouse ?? (await openDuckDB(options.warehousePath, { readOnly: true }));
  const pages: CompiledPage[] = [];
  try {
    const run = options.warehouse ? (sql: string) => readOnlyQuery(db, sql) : (sql: string) => db.query(sql);
    const compile = (entry: Source, route: string, params?: Record<string, string>) => {
      const build = (runSql: typeof run, read: (name: keyof typeof tracked) => void) => {
        // Chart ids count per page, so a page's HTML does not depend on the pages before it.
        let chartId = 0;
        const env: PageEnv = {
          file: entry.file.display,
          source: entry.source,
          route,
          locale,
          get asOf() {
            read("asOf");
            return options.run.asOf;
          },
          glossary,
          get docs() {
            read("docs");
            return docs;
          },
          nextId: () => `c${(chartId++).toString(36)}`,
        };
        return compilePage(entry.parsed, env, runSql, params ? { params } : {});
      };
      if (!cache) return build(run, () => {});
      const key = hashOf(shared, entry.file.display, entry.source, route, params ?? null);
      return cache.page(route, key, run, tracked, build);
    };
    for (const entry of sources.filter((s) => !s.file.param)) {
      options.onProgress?.(`page ${entry.file.route}`);
      pages.push(await compile(entry, entry.file.route));
    }
    // Template pages: one per value that another page links to (Evidence's convention).
    const linked = new Set(pages.flatMap((page) => linksOf(page.nodes, page.route)));
    for (const entry of sources.filter((s) => s.file.param)) {
      const values = [
        ...new Set(
          [...linked].map((path) => matchTemplate(entry.file.route, path)).filter((v) => v !== undefined),
        ),
      ];
      for (const value of values.sort()) {
        const route = `${entry.file.route.slice(0, entry.file.route.indexOf("["))}${encodeURIComponent(value)}/`;
        options.onProgress?.(`page ${route}`);
        pages.push(await compile(entry, route, { [entry.file.param!]: value }));
      }
    }
  } finally {
    if (!options.warehouse) await db.close();
  }
  // Saved before Astro runs: each entry stands on its own inputs, whatever happens next.
  await cache?.save();

  const site: SiteData = {
    locale,
    demo: options.demo,
    run: options.run,
    nav: navigation(sources, pages, locale),
    pages,
    script: (await readFile(SCRIPT, "utf8")).trim(),
  };
  const next = `${outDir}.next-${randomBytes(4).toString("hex")}`;
  const scratch = `${outDir}.cache-${randomBytes(4).toString("hex")}`;
  try {
    const reused = cache ? ` (${cache.stats.reused.length} unchanged since the last build)` : "";
    options.onProgress?.(`rendering ${pages.length} pages${reused}`);
    await astroBuild(site, { outDir: next, scratchDir: scratch });
    const reports = await finishPages(next, pages);
    const assets = await assetSizes(next);
    await mkdir(dirname(outDir), { recursive: true });
    const old = `${outDir}.old-${randomBytes(4).toString("hex")}`;
    if (existsSync(outDir)) await rename(outDir, old);
    await rename(next, outDir);
    await rm(old, { recursive: true, force: true });
    return {
      outDir,
      pages: reports,
      assets,
      totalBytes: reports.reduce((sum, page) => sum + page.bytes, 0),
      maxGzipBytes: Math.max(0, ...reports.map((page) => page.gzipBytes)),
      durationMs: Math.round(performance.now() - started),
      ...(cache ? { pageCache: cache.stats } : {}),
    };
  } finally {
    await rm(next, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Fills the CSP of every page, refuses references to other hosts, checks that every file a page
 * loads exists, and measures each page.
 */
async function finishPages(dir: string, pages: CompiledPage[]): Promise<PageReport[]> {
  const reports: PageReport[] = [];
  const byRoute = new Map(pages.map((page) => [page.route, page]));
  for (const path of await htmlFiles(dir)) {
    const output = relative(dir, path).split(sep).join("/");
    const route = `/${output.replace(/index\.html$/, "")}`;
    const page = byRoute.get(decodeURI(route)) ?? byRoute.get(route);
    const html = finishHtml(await readFile(path, "utf8"), page?.file ?? output);
    for (const url of loadedUrls(html)) {
      const target = posix.join(posix.dirname(output), decodeURI(url.split(/[?#]/)[0]!));
      // Pages cannot load files of their own (markdown drops images; the policy allows only
      // data: ones), so a miss is huitou's: an asset it links but did not write.
      if (target.startsWith("..") || !existsSync(join(dir, target)))
        throw new Error(`invalid page ${output}: loads ${url}, which the build did not write`);
    }
    await writeFile(path, html);
    reports.push({
      route,
      file: page?.file ?? output,
      output,
      bytes: (await stat(path)).size,
      gzipBytes: gzipSync(html).length,
    });
  }
  return reports.sort((a, b) => a.route.localeCompare(b.route));
}

/** A page query on a writable connection: inside a read-only transaction, so it cannot write. */
async function readOnlyQuery(db: Adapter, sql: string) {
  await db.execute("begin transaction read only");
  try {
    return await db.query(sql);
  } finally {
    await db.execute("rollback");
  }
}

/** The glossary as plain data, for the cache key. */
function glossaryData(glossary: Glossary): unknown {
  return [glossary.entries, [...glossary.models], [...glossary.published]];
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch {
    return undefined; // not written yet: the Data page says there is nothing to show
  }
}
