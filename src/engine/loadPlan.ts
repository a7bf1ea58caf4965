/**
 * Reads a project (its files, the ingest layer's source declarations, and its TypeScript models,
 * imported here so that planning stays pure) and plans it.
 */
import { readSources } from "../ingest/readSources.ts";
import { readProjectFiles } from "./discover.ts";
import type { FileSystem } from "./effects.ts";
import { buildPlan } from "./plan.ts";
import { loadTsModels } from "./tsModel.ts";
import type { Plan, Project } from "./types.ts";

export interface LoadPlanOptions {
  vars: Record<string, unknown>;
  fullRefresh: boolean;
  /** Relations in schema `main` of the warehouse the plan is for: name → kind. */
  existing: ReadonlyMap<string, "table" | "view">;
  env: Record<string, string | undefined>;
}

export async function loadPlan(project: Project, fs: FileSystem, options: LoadPlanOptions): Promise<Plan> {
  const sources = await readSources(project.dir);
  const files = await readProjectFiles(project, fs);
  const tsModels = await loadTsModels(project.dir, files.tsModels);
  return buildPlan(project, { ...files, tsModels }, { ...options, sources });
}
