/**
 * A TypeScript model as a plan node: folder and YAML configs apply as to any model (tags,
 * enabled, meta), but it always builds a table; its edges are its declared `refs`, found in its
 * file as quoted names when a problem must be located. Pure, like the rest of planning.
 */
import { basename } from "node:path";
import { errors, type HuitouError } from "../errors.ts";
import { folderLayers, modelConfig } from "./config.ts";
import type { SchemaEntry } from "./schemaYaml.ts";
import type { LoadedTsModel } from "./tsModel.ts";
import type { ModelNode, Project } from "./types.ts";

export interface PlannedTsModel {
  /** Absent when the file did not load or the model is disabled. */
  node: ModelNode | undefined;
  problems: HuitouError[];
}

/** The node of a loaded model file; `relation` names a model's relation (plan.ts's relationOf). */
export function planTsModel(
  project: Project,
  loaded: LoadedTsModel,
  entry: SchemaEntry | undefined,
  relation: (name: string) => string,
  segments: string[],
): PlannedTsModel {
  const { program } = loaded;
  if (!program) {
    return {
      node: undefined,
      problems: [loaded.error ?? errors.tsModel("cannot load", { file: loaded.file })],
    };
  }
  const problems: HuitouError[] = [];
  const name = basename(loaded.file, ".ts");
  const layers = [...folderLayers(project.models, project.name, segments)];
  // A folder's default materialization is for its SQL models; the model's own YAML must agree.
  const materialized = entry?.config.materialized;
  if (materialized && String(materialized.value).toLowerCase() !== "table") {
    problems.push(
      materialized.fail("a TypeScript model always builds a table: remove materialized or set it to table"),
    );
  }
  if (entry) layers.push(entry.config);
  const config = { ...modelConfig(layers), materialized: "table" as const };
  if (!config.enabled) return { node: undefined, problems };
  return {
    node: {
      kind: "model",
      id: `model.${project.name}.${name}`,
      name,
      file: loaded.file,
      dependsOn: [],
      config,
      sql: { text: "", lines: [] },
      hooks: { pre: [], post: [] },
      relation: relation(name),
      docs: entry?.docs ?? {
        description: program.description ?? "",
        columns: [],
        location: { file: loaded.file },
      },
      incremental: false,
      program,
    },
    problems,
  };
}

/** Matches `'name'` (any quote): a TypeScript model names its refs as strings. */
export function quotedName(name: string): RegExp {
  return new RegExp(`['"\`]${name.replace(/\W/g, "\\$&")}['"\`]`);
}

/** The problem of a TypeScript model reading an ephemeral model, at `at` in its file. */
export function ephemeralRead(ref: string, file: string, at: { line: number; column: number } | undefined) {
  return errors.tsModel(
    `'${ref}' is an ephemeral model, which a TypeScript model cannot read (it has no relation); materialize it as a view or table`,
    { file, ...at },
  );
}
