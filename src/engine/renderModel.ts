/**
 * Rendering one SQL model for planning: the template runs once with recording functions, so
 * its refs, sources and inline `config()` are known before any SQL is executed; an undeclared
 * source or a bad config value is reported at its place in the model file.
 */
import { basename } from "node:path";
import { codeFrame, errors, type HuitouError, HuitouErrors, type Location, withFrame } from "../errors.ts";
import { quoteIdent } from "./adapters/adapter.ts";
import { checkEntry, folderLayers, modelConfig } from "./config.ts";
import type { TextFile } from "./discover.ts";
import { placeholder } from "./lineMap.ts";
import type { PlanOptions } from "./plan.ts";
import type { SchemaEntry } from "./schemaYaml.ts";
import { findPattern, type Renderer } from "./templating.ts";
import type { Project, RawConfig, SourceNode } from "./types.ts";

/** What planning needs to keep of a rendered model until all models are known. */
export interface Rendered {
  name: string;
  file: string;
  source: string;
  raw: string;
  refs: string[];
  sourceIds: string[];
  layers: RawConfig[];
  /** The `pre_hook` / `post_hook` statements, rendered in the model's context. */
  hooks: { pre: string[]; post: string[] };
}

/** `"main"."name"`: the relation of a model or seed. */
export function relationOf(name: string): string {
  return `${quoteIdent("main")}.${quoteIdent(name)}`;
}

/** Folder segments of `file` under the configured path it lives in, then its base name. */
export function segmentsOf(file: string, roots: string[]): string[] {
  const root = roots.find((candidate) => file.startsWith(`${candidate}/`));
  const rest = root ? file.slice(root.length + 1) : file;
  const parts = rest.split("/");
  const last = parts.pop() as string;
  return [...parts, last.replace(/\.[^.]*$/, "")];
}

/** Renders `model` with recording functions; throws HuitouErrors for what it finds wrong. */
export function renderModel(
  renderer: Renderer,
  project: Project,
  model: TextFile,
  entry: SchemaEntry | undefined,
  options: PlanOptions,
  sourceIndex: ReadonlyMap<string, SourceNode>,
): Rendered {
  const name = basename(model.file, ".sql");
  const layers: RawConfig[] = [
    ...folderLayers(project.models, project.name, segmentsOf(model.file, project.paths.models)),
  ];
  if (entry) layers.push(entry.config);
  const inline: RawConfig = {};
  const refs: string[] = [];
  const sourceIds: string[] = [];
  const missingSources: { source: string; table: string }[] = [];
  const configAt = findPattern(model.source, /\bconfig\s*\(/);
  const configLocation: Location = { file: model.file, ...configAt };
  const context: Parameters<Renderer["render"]>[2] = {
    ref(target) {
      if (!refs.includes(target)) refs.push(target);
      const text = placeholder(`ref:${target}`);
      return {
        toString: () => text,
        identifier: target,
        name: target,
        schema: "main",
        database: "warehouse",
      };
    },
    source(sourceName, table) {
      const node = sourceIndex.get(`${sourceName}.${table}`);
      if (!node) {
        missingSources.push({ source: sourceName, table });
        return "__missing_source__";
      }
      if (!sourceIds.includes(node.id)) sourceIds.push(node.id);
      return node.relation;
    },
    config(values) {
      for (const [key, value] of Object.entries(values)) {
        inline[key] = {
          value,
          fail: (message) =>
            errors.config(
              message,
              configLocation,
              configAt ? codeFrame(model.source, configAt.line, configAt.column) : undefined,
            ),
        };
      }
    },
    isIncremental() {
      const config = modelConfig([...layers, inline]);
      return (
        config.materialized === "incremental" &&
        options.existing.get(name) === "table" &&
        !options.fullRefresh
      );
    },
    this: relationOf(name),
  };
  const raw = renderer.render(model.file, model.source, context);
  // Hooks are templates too (dbt renders `delete from {{ this }} ...` in the model's context).
  const { hooks } = modelConfig([...layers, inline]);
  const renderHooks = (list: string[]) => list.map((hook) => renderer.render(model.file, hook, context));
  const problems: HuitouError[] = [];
  for (const [key, entry] of Object.entries(inline)) {
    try {
      checkEntry("model", key, entry);
    } catch (error) {
      problems.push(error as HuitouError);
    }
  }
  for (const missing of missingSources) {
    const at = findPattern(
      model.source,
      new RegExp(`\\bsource\\s*\\(\\s*['"]${missing.source}['"]\\s*,\\s*['"]${missing.table}['"]`),
    );
    const known = [...sourceIndex.keys()].join(", ") || "none (no sources/*.yml)";
    const error = errors.source(
      `source('${missing.source}', '${missing.table}') is not declared; declare it in sources/*.yml (known: ${known})`,
      { file: model.file, ...at },
    );
    problems.push(withFrame(error, model.source));
  }
  if (problems.length > 0) throw new HuitouErrors(problems);
  return {
    name,
    file: model.file,
    source: model.source,
    raw,
    refs,
    sourceIds,
    layers: [...layers, inline],
    hooks: { pre: renderHooks(hooks.pre), post: renderHooks(hooks.post) },
  };
}
