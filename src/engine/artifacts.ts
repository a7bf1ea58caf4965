/**
 * After a run: the actual columns of the warehouse, the documented-column check, and the
 * artifacts `target/manifest.json` and `target/run_results.json` (each written then renamed).
 */
import { join } from "node:path";
import type { Adapter } from "./adapters/adapter.ts";
import type { Effects } from "./effects.ts";
import { type Columns, manifestFile } from "./manifest.ts";
import { type NodeResult, runResultsFile } from "./results.ts";
import type { RunRequest } from "./session.ts";
import type { Plan } from "./types.ts";

const VERSION = "0.1.0";

/** The columns of every relation in schema `main`, in table order. */
export async function describe(adapter: Adapter): Promise<Columns> {
  const { rows } = await adapter.query(
    `select table_name, column_name, data_type from information_schema.columns
     where table_schema = 'main' and table_catalog = current_database()
     order by table_name, ordinal_position`,
  );
  const columns = new Map<string, { name: string; type: string }[]>();
  for (const row of rows) {
    const table = String(row.table_name);
    if (!columns.has(table)) columns.set(table, []);
    columns.get(table)?.push({ name: String(row.column_name), type: String(row.data_type) });
  }
  return columns;
}

/** Warnings for documented columns that a model or seed in the warehouse does not have. */
export function documentedColumns(plan: Plan, columns: Columns): string[] {
  const warnings: string[] = [];
  for (const node of plan.nodes.values()) {
    if ((node.kind !== "model" && node.kind !== "seed") || !node.docs) continue;
    const actual = columns.get(node.name);
    if (!actual) continue;
    const names = new Set(actual.map((column) => column.name.toLowerCase()));
    for (const doc of node.docs.columns) {
      if (!names.has(doc.name.toLowerCase())) {
        warnings.push(
          `warning: ${doc.location.file}:${doc.location.line}:${doc.location.column}: column '${doc.name}' is documented for ${node.kind} ${node.name}, which has no such column (it has ${actual.map((column) => column.name).join(", ")}); fix the name or remove the entry`,
        );
      }
    }
  }
  return warnings;
}

export async function writeArtifacts(
  plan: Plan,
  results: NodeResult[],
  columns: Columns,
  request: RunRequest,
  vars: Record<string, unknown>,
  wallMs: number,
  effects: Effects,
): Promise<void> {
  const generatedAt = effects.clock.date();
  const target = join(request.projectDir, "target");
  const manifest = manifestFile(plan, columns, {
    version: VERSION,
    generatedAt,
    invocation: request.invocation,
    vars,
  });
  await effects.fs.writeAtomic(join(target, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const runResults = runResultsFile(results, {
    version: VERSION,
    generatedAt,
    invocation: request.invocation,
    elapsedMs: wallMs,
    args: {
      select: request.select ?? null,
      exclude: request.exclude ?? null,
      vars: request.vars ?? {},
      full_refresh: request.fullRefresh ?? false,
    },
  });
  await effects.fs.writeAtomic(join(target, "run_results.json"), `${JSON.stringify(runResults, null, 2)}\n`);
}
