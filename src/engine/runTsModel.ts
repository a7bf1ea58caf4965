/**
 * Building one TypeScript model (tsModel.ts): its context (refs limited to the declared ones,
 * variables, bulk reads and writes, the statistics), its build() on the node's connection, and
 * the check that it left its table behind. Errors come back located in the model file.
 */
import { join } from "node:path";
import * as analytics from "../analytics/index.ts";
import { errors, type Location } from "../errors.ts";
import { type Adapter, type Cell, type ColumnarResult, type Params, quoteIdent } from "./adapters/adapter.ts";
import type { Logger } from "./effects.ts";
import type { NodeOutcome } from "./execute.ts";
import { findPattern } from "./templating.ts";
import { blame, type ModelContext } from "./tsModel.ts";
import type { ModelNode, Plan } from "./types.ts";

/** Runs `model`'s build(); `existing` is the kind of relation already under its name. */
export async function runTsModel(
  model: ModelNode,
  adapter: Adapter,
  plan: Plan,
  existing: "table" | "view" | undefined,
  logger: Logger,
): Promise<NodeOutcome> {
  const program = model.program;
  if (!program) throw new Error(`invalid TypeScript model: ${model.id}`);
  const source = plan.sources.get(model.file) ?? "";
  const path = join(plan.project.dir, model.file);
  // Dropped first, so that a build() that forgets its table cannot pass off the previous one.
  if (existing) await adapter.execute(`drop ${existing} if exists ${model.relation}`);
  const temporary: string[] = [];
  const context = modelContext(model, traced(adapter), plan, logger, source, temporary);
  try {
    await program.build(context);
  } catch (error) {
    throw blame(error, model.file, path, source, "build() failed");
  } finally {
    // The connection serves other models next: free what this one kept.
    for (const relation of temporary) await adapter.execute(`drop table if exists ${relation}`);
  }
  const { rows } = await adapter.query(
    "select count(*) as n from duckdb_tables() where database_name = current_database() and schema_name = 'main' and table_name = ?",
    [model.name],
  );
  if (Number(rows[0]?.n) === 0) {
    throw errors.tsModel(
      `build() finished without creating ${model.relation}: create it from ctx.this (or with ctx.writeTable)`,
      { file: model.file },
    );
  }
  const count = await adapter.query(`select count(*) as n from ${model.relation}`);
  const written = Number(count.rows[0]?.n ?? 0);
  return { rows: written, message: `table built: ${written} rows` };
}

function modelContext(
  model: ModelNode,
  adapter: Adapter,
  plan: Plan,
  logger: Logger,
  source: string,
  temporary: string[],
): ModelContext {
  const at = (pattern: RegExp): Location => ({ file: model.file, ...findPattern(source, pattern) });
  const refs = new Map<string, string>();
  for (const id of model.dependsOn) {
    const node = plan.nodes.get(id);
    if (node && node.kind !== "test") refs.set(node.name, node.relation);
  }
  const write = (name: string, columns: Parameters<ModelContext["writeTable"]>[0], temporary: boolean) => {
    if (!adapter.writeColumns) throw new Error("invalid adapter: no bulk write (writeColumns)");
    return adapter.writeColumns(name, columns, { temporary });
  };
  return {
    adapter,
    this: model.relation,
    name: model.name,
    logger,
    analytics,
    ref(name) {
      const relation = refs.get(name);
      if (relation === undefined) {
        throw errors.tsModel(
          `ctx.ref('${name}') is not among the model's refs (${[...refs.keys()].join(", ") || "none"}); add '${name}' to refs so it is built first`,
          at(new RegExp(`ref\\(\\s*['"\`]${name.replace(/\W/g, "\\$&")}`)),
        );
      }
      return relation;
    },
    var(name, ...fallback) {
      if (Object.hasOwn(plan.vars, name) && plan.vars[name] !== undefined) return plan.vars[name];
      if (fallback.length > 0) return fallback[0];
      throw errors.tsModel(
        `var('${name}') is not defined: add it under \`vars:\` in huitou_project.yml, pass --var ${name}=..., or give a fallback: ctx.var('${name}', ...)`,
        at(new RegExp(`var\\(\\s*['"\`]${name.replace(/\W/g, "\\$&")}`)),
      );
    },
    async readNumbers<Name extends string>(sql: string, params?: Params) {
      const result: ColumnarResult = adapter.queryColumns
        ? await adapter.queryColumns(sql, params)
        : transpose(await adapter.query(sql, params));
      const out = {} as Record<Name, Float64Array>;
      result.columns.forEach((column, i) => {
        const cells = result.values[i] as Cell[];
        out[column.name as Name] = Float64Array.from(cells, (cell, row) => {
          if (typeof cell !== "number") {
            throw new Error(
              `column ${column.name} holds ${JSON.stringify(cell)} at row ${row + 1}, not a number`,
            );
          }
          return cell;
        });
      });
      return out;
    },
    writeTable: (columns) => write(model.name, columns, false),
    async writeTemporary(name, columns) {
      await write(name, columns, true);
      const relation = `temp.main.${quoteIdent(name)}`;
      if (!temporary.includes(relation)) temporary.push(relation);
      return relation;
    },
  };
}

/**
 * `adapter` with each failing statement's stack replaced by its caller's: a database error then
 * points at the line of the model that ran the statement (the native stack names no model line).
 */
function traced(adapter: Adapter): Adapter {
  const trace =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      // Taken before the first await, while the model's frame is still on the stack.
      const site = new Error();
      try {
        return await call(...args);
      } catch (error) {
        if (error instanceof Error) {
          error.stack = `${error.name}: ${error.message}\n${site.stack?.split("\n").slice(1).join("\n")}`;
        }
        throw error;
      }
    };
  const wrapped: Adapter = {
    execute: trace(adapter.execute.bind(adapter)),
    query: trace(adapter.query.bind(adapter)),
    loadFile: trace(adapter.loadFile.bind(adapter)),
    listRelations: trace(adapter.listRelations.bind(adapter)),
    close: () => adapter.close(),
  };
  if (adapter.queryColumns) wrapped.queryColumns = trace(adapter.queryColumns.bind(adapter));
  if (adapter.writeColumns) wrapped.writeColumns = trace(adapter.writeColumns.bind(adapter));
  return wrapped;
}

function transpose(result: Awaited<ReturnType<Adapter["query"]>>): ColumnarResult {
  return {
    columns: result.columns,
    values: result.columns.map((column) => result.rows.map((row) => row[column.name] ?? null)),
  };
}
