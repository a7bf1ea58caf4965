/**
 * A page's named queries: `${inputs.x.value}`, `${params.x}` and `${other_query}` (Evidence's
 * query chaining) interpolated, each distinct SQL run once against the read-only warehouse.
 * A failing query fails the build naming the page file, the query and its line in the page;
 * a query reading an optional table (frontmatter `optional_tables`) that does not exist yet
 * returns no rows and marks the result `missing`, so the page can say so.
 */
import type { QueryResult } from "../../engine/adapters/adapter.ts";
import { errors } from "../../errors.ts";
import { ExpressionError, evaluate, parseExpression } from "../expression.ts";
import type { QueryDef } from "../parsePage.ts";
import type { PageEnv, QueryData } from "./scope.ts";

export type RunSql = (sql: string) => Promise<QueryResult>;

const INTERPOLATION = /\$\{([^}]*)\}/g;

// Per-customer marts hold one row per person: a page may aggregate them, never list them.
// (Names of products and campaigns are fine; staging drops customers' names and phones.)
const PERSONAL_COLUMNS = new Set(["customer_id", "referrer_id", "phone"]);

/** SQL without `--` comments (outside string literals), its statements' `;`, on one line. */
export function oneLine(sql: string): string {
  let out = "";
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      const close = sql.indexOf(ch, i + 1);
      const end = close === -1 ? sql.length : close + 1;
      out += sql.slice(i, end);
      i = end - 1;
    } else if (ch === "-" && sql[i + 1] === "-") {
      const newline = sql.indexOf("\n", i);
      i = newline === -1 ? sql.length : newline - 1;
    } else out += ch;
  }
  return out
    .replace(/;\s*$/, "")
    .replace(/\s*\n\s*/g, " ")
    .trim();
}

export class PageQueries {
  readonly #defs: Map<string, QueryDef>;
  readonly #env: PageEnv;
  readonly #run: RunSql;
  readonly #optional: Set<string>;
  readonly #cache = new Map<string, Promise<QueryData>>();

  constructor(defs: QueryDef[], env: PageEnv, run: RunSql, optionalTables: string[]) {
    this.#defs = new Map(defs.map((def) => [def.name, def]));
    this.#env = env;
    this.#run = run;
    this.#optional = new Set(optionalTables.map((name) => name.toLowerCase()));
  }

  has(name: string): boolean {
    return this.#defs.has(name);
  }

  names(): string[] {
    return [...this.#defs.keys()];
  }

  sqlOf(name: string): string | undefined {
    return this.#defs.get(name)?.sql;
  }

  /** The inputs a query depends on, through the queries it chains. */
  inputsOf(name: string, seen = new Set<string>()): Set<string> {
    const out = new Set<string>();
    const def = this.#defs.get(name);
    if (!def || seen.has(name)) return out;
    seen.add(name);
    for (const match of def.sql.matchAll(INTERPOLATION)) {
      const expr = match[1]!.trim();
      const input = /^inputs\.([A-Za-z_][\w]*)/.exec(expr);
      if (input) out.add(input[1]!);
      else if (this.#defs.has(expr)) for (const dep of this.inputsOf(expr, seen)) out.add(dep);
    }
    return out;
  }

  /** The SQL of `name` with its interpolations filled for these inputs and params. */
  render(name: string, vars: Record<string, unknown>, stack: string[] = []): string {
    const def = this.#defs.get(name)!;
    if (stack.includes(name)) {
      throw errors.page(`queries chain into each other in a cycle: ${[...stack, name].join(" -> ")}`, {
        file: this.#env.file,
        line: def.line,
      });
    }
    return def.sql.replace(INTERPOLATION, (_, raw: string) => {
      const expr = raw.trim();
      // A chained query goes inline on one line, so line numbers in errors still match the page.
      if (this.#defs.has(expr)) return `(${oneLine(this.render(expr, vars, [...stack, name]))})`;
      let value: unknown;
      try {
        value = evaluate(parseExpression(expr), vars);
      } catch (error) {
        if (error instanceof ExpressionError) {
          throw errors.page(
            `in query '${name}': ${error.message}`,
            { file: this.#env.file, line: def.line },
            this.#env.source,
          );
        }
        throw error;
      }
      // Values land inside SQL string literals in Evidence's convention ('${inputs.x.value}').
      return String(value ?? "").replaceAll("'", "''");
    });
  }

  /** Runs `name` for these inputs and params (cached by the final SQL). */
  get(name: string, vars: Record<string, unknown>): Promise<QueryData> {
    const sql = this.render(name, vars);
    let result = this.#cache.get(sql);
    if (!result) {
      result = this.#execute(name, sql);
      this.#cache.set(sql, result);
    }
    return result;
  }

  async #execute(name: string, sql: string): Promise<QueryData> {
    const def = this.#defs.get(name)!;
    let result: QueryResult;
    try {
      result = await this.#run(sql);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const missing = /Table with name "?([\w.]+)"? does not exist/i.exec(message)?.[1];
      if (missing && this.#optional.has(missing.toLowerCase()))
        return { name, rows: [], columns: [], missing };
      const sqlLine = Number(/LINE (\d+):/.exec(message)?.[1] ?? 1);
      const firstLine = message.split("\n")[0]!.replace(/^[\w ]*Error: /, "");
      throw errors.pageQuery(
        name,
        firstLine,
        { file: this.#env.file, line: def.line + sqlLine - 1 },
        this.#env.source,
      );
    }
    const personal = result.columns.find((column) => PERSONAL_COLUMNS.has(column.name.toLowerCase()));
    if (personal && result.rows.length > 0) {
      throw errors.page(
        `query '${name}' returns the column ${personal.name}: pages show aggregates only, never one row per customer; group the rows (count, sum, avg) instead`,
        { file: this.#env.file, line: def.line },
        this.#env.source,
      );
    }
    return { name, rows: result.rows, columns: result.columns };
  }
}
