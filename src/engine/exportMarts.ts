/**
 * `huitou export`: every published mart (a model tagged `published`) copied out of the built
 * warehouse as Parquet or CSV, one file per mart, each written under a temporary name and
 * renamed into place.
 */
import { join } from "node:path";
import { errors } from "../errors.ts";
import { quoteLiteral } from "./adapters/adapter.ts";
import type { Effects } from "./effects.ts";
import { loadPlan } from "./loadPlan.ts";
import { loadProject } from "./project.ts";
import { resolveVars, type VarValue } from "./vars.ts";
import { type Open, openPublished, warehousePaths } from "./warehouse.ts";

export interface ExportRequest {
  projectDir: string;
  outDir: string;
  format: "parquet" | "csv";
  vars?: Record<string, VarValue>;
  open: Open;
}

/** Writes the published marts; resolves to the files written (absolute paths). */
export async function exportMarts(request: ExportRequest, effects: Effects): Promise<string[]> {
  const { fs, logger } = effects;
  const project = await loadProject(request.projectDir, fs);
  const adapter = await openPublished(warehousePaths(request.projectDir), fs, request.open);
  try {
    const relations = await adapter.listRelations();
    const existing = new Map(
      relations
        .filter((relation) => relation.schema === "main")
        .map((relation) => [relation.name, relation.kind]),
    );
    const plan = await loadPlan(project, fs, {
      vars: resolveVars(project.vars, request.vars ?? {}),
      fullRefresh: false,
      existing,
      env: process.env,
    });
    const marts = [...plan.nodes.values()].filter(
      (node) =>
        node.kind === "model" &&
        node.config.tags.includes("published") &&
        node.config.materialized !== "ephemeral",
    );
    if (marts.length === 0) {
      throw errors.usage(
        "no model is tagged `published`: tag the marts to export (+tags: [published] in the project file)",
      );
    }
    const missing = marts.filter((mart) => !existing.has(mart.name)).map((mart) => mart.name);
    if (missing.length > 0) {
      throw errors.usage(`not in the warehouse yet: ${missing.join(", ")}; run \`huitou build\` first`);
    }
    await fs.mkdir(request.outDir);
    const written: string[] = [];
    const options =
      request.format === "parquet" ? "format parquet, compression zstd" : "format csv, header true";
    for (const mart of marts) {
      const path = join(request.outDir, `${mart.name}.${request.format}`);
      const temporary = `${path}.tmp`;
      if (mart.kind !== "model") continue;
      await adapter.execute(
        `copy (select * from ${mart.relation}) to ${quoteLiteral(temporary)} (${options})`,
      );
      await fs.rename(temporary, path);
      logger.info(`wrote ${path}`);
      written.push(path);
    }
    return written;
  } finally {
    await adapter.close();
  }
}
