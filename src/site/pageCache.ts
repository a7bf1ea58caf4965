/**
 * Reuse of compiled pages from one build to the next. A compiled page (its tables, SVG charts,
 * filters) is a pure function of its inputs: the compiler's code, the page's file, source,
 * route and parameters, the locale and glossary (together the page's `key`), the values it
 * reads of those that change from run to run (as_of, read by date filters and by pages that
 * name it; the run's artifacts, read by the Data page), and the results of its queries.
 * The cache file (target/site-pages.json) keeps, per page, that key, a hash of each such value
 * it read, the SQL it ran in the order it ran it with a hash of each result, and the page.
 *
 * A later build reruns the recorded SQL. When every result hashes as before, the compile would
 * run the very same SQL again: the first query's SQL follows from the key alone, and each next
 * one from the key and the results before it (filters take their options from query results).
 * So it would produce the same page, and the stored one is used. Any difference, or a query
 * that now fails differently, recompiles the page, reusing the results just read.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { QueryResult } from "../engine/adapters/adapter.ts";
import type { RunSql } from "./compile/queries.ts";
import type { CompiledPage } from "./types.ts";

/** The cache file's name in the target directory. */
export const PAGE_CACHE_FILE = "site-pages.json";

// Bump when the file's shape changes: an older file is then ignored, never misread.
const FORMAT = 2;

interface Entry {
  key: string;
  /** [sql, hash of its outcome], in the order the compile ran them. */
  queries: [string, string][];
  /** Hashes of the run-to-run values the page read, by name (see `tracked` of `page`). */
  reads: Record<string, string>;
  page: CompiledPage;
}

/** What a query did: its columns and rows, or the error it threw. */
type Outcome = { result: QueryResult } | { error: unknown };

/** SHA-256 (hex) of values, as JSON that keeps NaN, ±Infinity and -0 apart from null and 0. */
export function hashOf(...values: unknown[]): string {
  const json = JSON.stringify(values, (_, value) =>
    typeof value === "number" && (!Number.isFinite(value) || Object.is(value, -0))
      ? { number: Object.is(value, -0) ? "-0" : String(value) }
      : value,
  );
  return createHash("sha256").update(json).digest("hex");
}

function hashOutcome(outcome: Outcome): string {
  if ("result" in outcome) return hashOf("rows", outcome.result.columns, outcome.result.rows);
  const error = outcome.error;
  return hashOf("error", error instanceof Error ? error.message : String(error));
}

async function attempt(run: RunSql, sql: string): Promise<Outcome> {
  try {
    return { result: await run(sql) };
  } catch (error) {
    return { error };
  }
}

/** The routes of one build's pages, by where their compiled form came from. */
export interface CacheStats {
  reused: string[];
  compiled: string[];
}

/** The compiled pages of the last build, checked against this build's inputs. */
export class PageCache {
  readonly #file: string;
  readonly #old: Map<string, Entry>;
  readonly #next = new Map<string, Entry>();
  readonly stats: CacheStats = { reused: [], compiled: [] };

  private constructor(file: string, old: Map<string, Entry>) {
    this.#file = file;
    this.#old = old;
  }

  /** Opens the cache file; a missing, unreadable or older-format file is an empty cache. */
  static async open(file: string): Promise<PageCache> {
    try {
      const stored = JSON.parse(await readFile(file, "utf8")) as { format?: unknown; pages?: unknown };
      if (stored.format === FORMAT && stored.pages && typeof stored.pages === "object")
        return new PageCache(file, new Map(Object.entries(stored.pages as Record<string, Entry>)));
    } catch {
      // no cache yet, or a damaged one: compile everything
    }
    return new PageCache(file, new Map());
  }

  /**
   * The page `id` (its route): the stored one when its key, the values it read and every
   * recorded query result are unchanged, else `compile`d with `run` (recorded for next time).
   * `tracked` hashes each value that changes from run to run; `compile` must call `read(name)`
   * whenever the page reads one, as buildSite's getters do.
   */
  async page(
    id: string,
    key: string,
    run: RunSql,
    tracked: Record<string, () => string>,
    compile: (run: RunSql, read: (name: string) => void) => Promise<CompiledPage>,
  ): Promise<CompiledPage> {
    const known = new Map<string, Outcome>();
    const old = this.#old.get(id);
    const readsSame = (reads: Record<string, string>) =>
      Object.entries(reads).every(([name, hash]) => tracked[name]?.() === hash);
    if (old && old.key === key && readsSame(old.reads)) {
      let same = true;
      for (const [sql, hash] of old.queries) {
        const outcome = await attempt(run, sql);
        known.set(sql, outcome);
        if (hashOutcome(outcome) !== hash) {
          same = false;
          break;
        }
      }
      if (same) {
        this.#next.set(id, old);
        this.stats.reused.push(id);
        return old.page;
      }
    }
    const queries: [string, string][] = [];
    const read = new Set<string>();
    const recording: RunSql = async (sql) => {
      const outcome = known.get(sql) ?? (await attempt(run, sql));
      known.delete(sql); // a query the compile runs twice runs twice, as without the cache
      queries.push([sql, hashOutcome(outcome)]);
      if ("error" in outcome) throw outcome.error;
      return outcome.result;
    };
    const page = await compile(recording, (name) => read.add(name));
    const reads = Object.fromEntries([...read].sort().map((name) => [name, tracked[name]!()]));
    this.#next.set(id, { key, queries, reads, page });
    this.stats.compiled.push(id);
    return page;
  }

  /** Writes the pages of this build (and only those) for the next one, write-then-rename. */
  async save(): Promise<void> {
    const temporary = `${this.#file}.${randomBytes(4).toString("hex")}.tmp`;
    await mkdir(dirname(this.#file), { recursive: true });
    await writeFile(temporary, JSON.stringify({ format: FORMAT, pages: Object.fromEntries(this.#next) }));
    await rename(temporary, this.#file);
  }
}
