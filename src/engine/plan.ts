/**
 * Planning: the project's files in, a Plan out, with no database and no file system. Models are
 * rendered once with recording functions (refs, sources, config), TypeScript models contribute
 * their declared refs, then refs are resolved, the graph checked (every missing ref and every
 * cycle reported together, each at its own ref in its own file), SQL finalized and the data
 * tests built. Any problem found is collected; all are thrown at once.
 */
import { basename } from "node:path";
import { errors, HuitouError, HuitouErrors, withFrame } from "../errors.ts";
import type { SourceTable } from "../ingest/api.ts";
import { folderLayers, modelConfig, seedConfig } from "./config.ts";
import { findCycles } from "./dag.ts";
import type { ProjectFiles } from "./discover.ts";
import { cteName } from "./ephemeral.ts";
import { finalize, trimStatement } from "./lineMap.ts";
import { buildTests } from "./planTests.ts";
import { ephemeralRead, planTsModel, quotedName } from "./planTsModel.ts";
import { type Rendered, relationOf, renderModel, segmentsOf } from "./renderModel.ts";
import { readSchemaYaml, type SchemaEntry } from "./schemaYaml.ts";
import { createRenderer, findPattern } from "./templating.ts";
import type { LoadedTsModel } from "./tsModel.ts";
import type { ModelNode, Node, Plan, Project, SeedNode, SourceNode } from "./types.ts";
import { parseYamlFile } from "./yamlFile.ts";

export interface PlanOptions {
  vars: Record<string, unknown>;
  fullRefresh: boolean;
  /** Relations already in schema `main` of the warehouse being built: name → kind. */
  existing: ReadonlyMap<string, "table" | "view">;
  /** Source tables as the ingest layer declares them. */
  sources: readonly SourceTable[];
  env: Record<string, string | undefined>;
}

/** The project's files, TypeScript models imported (loadPlan). */
export type PlanFiles = Omit<ProjectFiles, "tsModels"> & { tsModels: readonly LoadedTsModel[] };

/** A model's reads, to resolve once all models are known, and how to find each in its file. */
interface Reader {
  name: string;
  file: string;
  source: string;
  refs: string[];
  /** Where `ref` is written in `source`. */
  pattern(ref: string): RegExp;
  /** A TypeScript model, which cannot read an ephemeral model (it has no relation). */
  typescript: boolean;
}

/** Builds the plan; throws HuitouErrors with every problem found. */
export function buildPlan(project: Project, files: PlanFiles, options: PlanOptions): Plan {
  const problems: HuitouError[] = [];
  const warnings: string[] = [];
  const attempt = <T>(work: () => T): T | undefined => {
    try {
      return work();
    } catch (error) {
      if (error instanceof HuitouError) problems.push(error);
      else if (error instanceof HuitouErrors) problems.push(...error.errors);
      else throw error;
      return undefined;
    }
  };
  const { models, tsModels, macros, schemas, singularTests } = files;
  const texts = new Map(
    [...models, ...tsModels, ...macros, ...schemas, ...singularTests].map((f) => [f.file, f.source]),
  );

  const entries = { model: new Map<string, SchemaEntry>(), seed: new Map<string, SchemaEntry>() };
  for (const schema of files.schemas) {
    attempt(() => {
      for (const entry of readSchemaYaml(parseYamlFile(schema.file, schema.source))) {
        const seen = entries[entry.kind].get(entry.name);
        if (seen) {
          throw entry.yaml.fail(
            `${entry.kind} '${entry.name}' is already described in ${seen.yaml.file}; keep one entry`,
            [...entry.path, "name"],
          );
        }
        entries[entry.kind].set(entry.name, entry);
      }
    });
  }
  const renderer = attempt(() =>
    createRenderer({ vars: options.vars, env: options.env, macros: files.macros }),
  );
  if (!renderer) throw new HuitouErrors(problems);

  const nodes = new Map<string, Node>();
  const byName = new Map<string, ModelNode | SeedNode>();
  const claim = (node: ModelNode | SeedNode) => {
    const other = byName.get(node.name);
    if (other) {
      problems.push(
        errors.config(`'${node.name}' is defined twice: ${other.file} and ${node.file}; rename one`, {
          file: node.file,
        }),
      );
      return;
    }
    byName.set(node.name, node);
    nodes.set(node.id, node);
  };

  for (const file of files.seeds) {
    const name = basename(file, ".csv");
    const entry = entries.seed.get(name);
    const layers = [...folderLayers(project.seeds, project.name, segmentsOf(file, project.paths.seeds))];
    if (entry) layers.push(entry.config);
    const config = seedConfig(layers);
    if (!config.enabled) continue;
    const id = `seed.${project.name}.${name}`;
    claim({
      kind: "seed",
      id,
      name,
      file,
      dependsOn: [],
      config,
      relation: relationOf(name),
      path: `${project.dir}/${file}`,
      docs: entry?.docs,
    });
  }

  const sourceIndex = new Map<string, SourceNode>();
  for (const table of options.sources) {
    const id = `source.${project.name}.${table.source}.${table.name}`;
    const node: SourceNode = {
      kind: "source",
      id,
      name: table.name,
      file: table.location.file,
      dependsOn: [],
      table,
      relation: table.relation,
    };
    sourceIndex.set(`${table.source}.${table.name}`, node);
    nodes.set(id, node);
  }

  const rendered: Rendered[] = [];
  // Models that failed to render: refs to them are not reported again as missing.
  const unrendered = new Set<string>();
  for (const model of files.models) {
    const entry = entries.model.get(basename(model.file, ".sql"));
    const result = attempt(() => renderModel(renderer, project, model, entry, options, sourceIndex));
    if (!result) {
      unrendered.add(basename(model.file, ".sql"));
      continue;
    }
    const config = modelConfig(result.layers);
    if (!config.enabled) continue;
    if (
      config.materialized === "incremental" &&
      config.incrementalStrategy === "merge" &&
      config.uniqueKey.length === 0
    ) {
      problems.push(
        errors.config(
          "incremental_strategy merge needs a unique_key: config(unique_key='id') or strategy append",
          {
            file: model.file,
          },
        ),
      );
    }
    const id = `model.${project.name}.${result.name}`;
    const relation = config.materialized === "ephemeral" ? cteName(result.name) : relationOf(result.name);
    const incremental =
      config.materialized === "incremental" &&
      options.existing.get(result.name) === "table" &&
      !options.fullRefresh;
    claim({
      kind: "model",
      id,
      name: result.name,
      file: result.file,
      dependsOn: result.sourceIds,
      config,
      sql: { text: "", lines: [] },
      relation,
      docs: entries.model.get(result.name)?.docs,
      incremental,
      hooks: { pre: [], post: [] },
    });
    rendered.push(result);
  }

  const readers: Reader[] = rendered.map((result) => ({
    ...result,
    pattern: refPattern,
    typescript: false,
  }));
  for (const loaded of files.tsModels) {
    const entry = entries.model.get(basename(loaded.file, ".ts"));
    const segments = segmentsOf(loaded.file, project.paths.models);
    const { node, problems: found } = planTsModel(project, loaded, entry, relationOf, segments);
    problems.push(...found);
    if (!loaded.program) unrendered.add(basename(loaded.file, ".ts"));
    if (!node) continue;
    claim(node);
    const { name, file, program } = node;
    const refs = [...(program?.refs ?? [])];
    readers.push({ name, file, source: loaded.source, refs, pattern: quotedName, typescript: true });
  }

  // Resolve refs: every missing one is reported, each where its file names it.
  for (const reader of readers) {
    const node = byName.get(reader.name);
    if (node?.kind !== "model" || node.file !== reader.file) continue;
    for (const ref of reader.refs) {
      const target = byName.get(ref);
      if (target) {
        if (!node.dependsOn.includes(target.id)) node.dependsOn.push(target.id);
        if (reader.typescript && target.kind === "model" && target.config.materialized === "ephemeral") {
          const error = ephemeralRead(ref, reader.file, findPattern(reader.source, quotedName(ref)));
          problems.push(withFrame(error, reader.source));
        }
      } else if (!unrendered.has(ref)) {
        problems.push(refProblem(ref, reader.file, reader.source, reader.pattern));
      }
    }
  }

  const graph = new Map([...nodes.values()].map((node) => [node.id, node.dependsOn]));
  for (const cycle of findCycles(graph)) {
    const chain = cycle.map((id) => nodes.get(id)?.file ?? id);
    const first = nodes.get(cycle[0] as string) as Node;
    const second = nodes.get(cycle[1] as string) as Node;
    const reader = readers.find((one) => one.file === first.file);
    const source = reader?.source;
    const at = reader ? findPattern(reader.source, reader.pattern(second.name)) : undefined;
    const error = errors.cycle(chain, { file: first.file, ...at });
    problems.push(source && at ? withFrame(error, source) : error);
  }

  for (const [kind, map] of Object.entries(entries)) {
    for (const [name, entry] of map) {
      if (byName.get(name)?.kind !== kind) {
        warnings.push(
          `${entry.docs.location.file}:${entry.docs.location.line}: ${entry.yaml.file} describes ${kind} '${name}', which does not exist (or is disabled)`,
        );
      }
    }
  }
  if (problems.length > 0) throw new HuitouErrors(problems);

  for (const result of rendered) {
    const node = byName.get(result.name) as ModelNode;
    const resolve = (raw: string) =>
      trimStatement(
        finalize(raw, result.file, (key) => {
          const target = byName.get(key.slice("ref:".length));
          return target ? target.relation : key;
        }),
      );
    node.sql = resolve(result.raw);
    node.hooks = { pre: result.hooks.pre.map(resolve), post: result.hooks.post.map(resolve) };
  }

  const tests = attempt(() =>
    buildTests({ project, renderer, entries, byName, sourceIndex, singular: files.singularTests, options }),
  );
  if (problems.length > 0 || !tests) throw new HuitouErrors(problems);
  for (const test of tests) nodes.set(test.id, test);
  return { project, nodes, sources: texts, warnings, vars: options.vars };
}

function refProblem(
  name: string,
  file: string,
  source: string,
  pattern: (name: string) => RegExp,
): HuitouError {
  const at = findPattern(source, pattern(name));
  const error = errors.missingRef(name, { file, ...at });
  return at ? withFrame(error, source) : error;
}

/** Matches `ref('name')` (and `ref('package', 'name')`). */
function refPattern(name: string): RegExp {
  return new RegExp(`\\bref\\s*\\(([^)]*,)?\\s*['"]${name.replace(/\W/g, "\\$&")}['"]`);
}
