/**
 * TypeScript models, huitou's counterpart of dbt's Python models: a file `models/**\/<name>.ts`
 * whose default export names the models it reads and builds its table in code, for the work SQL
 * cannot do (fitting the CLV models). The engine puts it in the DAG by its `refs`, runs it in
 * order beside the SQL models on the same connections, records it in the artifacts and runs the
 * data tests of the YAML beside it. It always builds a table, named after its file.
 *
 *   import type { TsModel } from "../../../src/engine/tsModel.ts"; // a type: erased at run time
 *
 *   const model: TsModel = {
 *     refs: ["int_clv_summary"],
 *     async build(ctx) {
 *       await ctx.adapter.execute(`create or replace table ${ctx.this} as select ... from ${ctx.ref("int_clv_summary")}`);
 *     },
 *   };
 *   export default model;
 *
 * A model file imports types only: huitou's statistics arrive as `ctx.analytics`, so the project
 * folder keeps working wherever it is copied (a runtime import would tie it to where src/ is).
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type * as analytics from "../analytics/index.ts";
import { codeFrame, errors, HuitouError, type Location } from "../errors.ts";
import type { Adapter, ColumnData, Params } from "./adapters/adapter.ts";
import type { TextFile } from "./discover.ts";
import type { Logger } from "./effects.ts";
import { findPattern } from "./templating.ts";

/** What `build()` is given. */
export interface ModelContext {
  /** The connection to the warehouse being built. */
  adapter: Adapter;
  /** The quoted relation of a model or seed named in `refs`; throws for any other name. */
  ref(name: string): string;
  /** A project variable (`--var` applied); throws when it is undefined and no fallback is given. */
  var(name: string, fallback?: unknown): unknown;
  /** The relation to create, `"main"."<name>"`. */
  this: string;
  /** The model's name (its file's base name). */
  name: string;
  logger: Logger;
  /** huitou's pure statistics (src/analytics): BG/NBD, Gamma-Gamma, CLV. */
  analytics: typeof analytics;
  /**
   * Runs a query and returns each column as numbers, by name (`Name`: the query's columns);
   * throws on a null or non-numeric cell.
   */
  readNumbers<Name extends string = string>(
    sql: string,
    params?: Params,
  ): Promise<Record<Name, Float64Array>>;
  /** Creates the model's table (`this`) from columns, written in bulk; returns the rows. */
  writeTable(columns: ColumnData[]): Promise<number>;
  /** A temporary table from columns, dropped when build() ends; returns its relation for SQL. */
  writeTemporary(name: string, columns: ColumnData[]): Promise<string>;
}

/** The default export of a TypeScript model file. */
export interface TsModel {
  /** The models and seeds `build` reads, by name: its edges in the DAG. */
  refs: readonly string[];
  /** Used when no YAML describes the model. */
  description?: string;
  /** Creates the table `ctx.this`. */
  build(ctx: ModelContext): Promise<void>;
}

/** A model file after import: its definition, or why it could not be had. */
export interface LoadedTsModel extends TextFile {
  program: TsModel | undefined;
  error: HuitouError | undefined;
}

/** Imports each model file (a new import when its text changed, so `huitou dev` sees edits). */
export async function loadTsModels(projectDir: string, files: readonly TextFile[]): Promise<LoadedTsModel[]> {
  return Promise.all(
    files.map(async (file): Promise<LoadedTsModel> => {
      const path = join(projectDir, file.file);
      const version = createHash("sha256").update(file.source).digest("hex").slice(0, 16);
      let exported: unknown;
      try {
        exported = ((await import(`${pathToFileURL(path).href}?huitou=${version}`)) as { default?: unknown })
          .default;
      } catch (error) {
        return {
          ...file,
          program: undefined,
          error: blame(error, file.file, path, file.source, "cannot load"),
        };
      }
      const problem = checkTsModel(exported);
      if (problem === undefined) return { ...file, program: exported as TsModel, error: undefined };
      const at = findPattern(file.source, /\bexport\s+default\b/);
      const location: Location = { file: file.file, ...at };
      const frame = at ? codeFrame(file.source, at.line, at.column) : undefined;
      return { ...file, program: undefined, error: errors.tsModel(problem, location, frame) };
    }),
  );
}

/** What is wrong with a default export, or undefined when it is a TsModel. */
export function checkTsModel(value: unknown): string | undefined {
  const shape = "export default { refs: ['model_it_reads'], async build(ctx) { ... } }";
  if (typeof value !== "object" || value === null) {
    return `a TypeScript model needs a default export like ${shape}`;
  }
  const { refs, description, build } = value as Record<string, unknown>;
  if (!Array.isArray(refs) || !refs.every((ref) => typeof ref === "string")) {
    return `refs must list the names of the models and seeds the model reads, e.g. ${shape}`;
  }
  if (description !== undefined && typeof description !== "string") return "description must be a string";
  if (typeof build !== "function") return `build must be an async function creating ctx.this, e.g. ${shape}`;
  return undefined;
}

/**
 * `error` (thrown while loading or by build()) as a HuitouError in the model file: a HuitouError
 * keeps its message and gets the file when it has no location; anything else is located at the
 * deepest line of the model file in its stack, with a code frame.
 */
export function blame(
  error: unknown,
  file: string,
  path: string,
  source: string,
  doing: string,
): HuitouError {
  if (error instanceof HuitouError) {
    if (error.location) return error;
    return new HuitouError(error.name, error.kind, error.message, { file }, error.frame);
  }
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  const at = positionIn(stack, path);
  const location: Location = { file, ...at };
  const frame = at ? codeFrame(source, at.line, at.column) : undefined;
  return errors.tsModel(`${doing}: ${message}`, location, frame);
}

// The first stack line in the file: `path:line:column`, or `file:///path?huitou=...:line:column`.
function positionIn(stack: string, path: string): { line: number; column?: number } | undefined {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`${escaped}(?:\\?[^:\\s)]*)?:(\\d+)(?::(\\d+))?`).exec(stack);
  if (!match) return undefined;
  const line = Number(match[1]);
  return match[2] === undefined ? { line } : { line, column: Number(match[2]) };
}
