/**
 * `target/manifest.json`: the project as other tools (the site's docs pages, analysts' tools)
 * read it: every model, seed, source and test with its file, relation, config, tags,
 * description, columns (documented and actual, with types) and dependencies, plus parent and
 * child maps. dbt's manifest shape, trimmed to what huitou knows.
 */
import { childrenOf } from "./dag.ts";
import type { ColumnDoc, Node, Plan } from "./types.ts";

/** Actual columns of relations in `main`, by relation name, in table order. */
export type Columns = ReadonlyMap<string, { name: string; type: string }[]>;

interface ManifestColumn {
  name: string;
  description: string;
  data_type: string | null;
}

export function manifestFile(
  plan: Plan,
  columns: Columns,
  meta: { version: string; generatedAt: Date; invocation: string; vars: Record<string, unknown> },
): Record<string, unknown> {
  const nodes: Record<string, unknown> = {};
  const sources: Record<string, unknown> = {};
  const parents = new Map([...plan.nodes.values()].map((node) => [node.id, node.dependsOn]));
  for (const node of plan.nodes.values()) {
    if (node.kind === "source") sources[node.id] = sourceEntry(node);
    else nodes[node.id] = nodeEntry(node, columns);
  }
  return {
    metadata: {
      huitou_version: meta.version,
      generated_at: meta.generatedAt.toISOString(),
      invocation: meta.invocation,
      project_name: plan.project.name,
      vars: meta.vars,
    },
    nodes,
    sources,
    parent_map: Object.fromEntries(parents),
    child_map: Object.fromEntries(childrenOf(parents)),
  };
}

function mergeColumns(docs: readonly ColumnDoc[], actual: { name: string; type: string }[] | undefined) {
  const out: Record<string, ManifestColumn> = {};
  for (const column of actual ?? [])
    out[column.name] = { name: column.name, description: "", data_type: column.type };
  for (const doc of docs) {
    const key = Object.keys(out).find((name) => name.toLowerCase() === doc.name.toLowerCase()) ?? doc.name;
    out[key] = {
      name: key,
      description: doc.description,
      data_type: out[key]?.data_type ?? doc.dataType ?? null,
    };
  }
  return out;
}

function nodeEntry(node: Exclude<Node, { kind: "source" }>, columns: Columns): Record<string, unknown> {
  const base = {
    unique_id: node.id,
    resource_type: node.kind,
    name: node.name,
    original_file_path: node.file,
    depends_on: { nodes: node.dependsOn },
  };
  switch (node.kind) {
    case "model":
      return {
        ...base,
        relation: node.config.materialized === "ephemeral" ? null : node.relation,
        description: node.docs?.description ?? "",
        tags: node.config.tags,
        config: {
          materialized: node.config.materialized,
          tags: node.config.tags,
          unique_key: node.config.uniqueKey,
          incremental_strategy: node.config.incrementalStrategy,
          meta: node.config.meta,
        },
        columns: mergeColumns(node.docs?.columns ?? [], columns.get(node.name)),
        // A TypeScript model's own description is not a YAML patch.
        patch_path: node.docs && node.docs.location.file !== node.file ? node.docs.location.file : null,
        language: node.program ? "typescript" : "sql",
        compiled_code: node.program ? null : node.sql.text,
      };
    case "seed":
      return {
        ...base,
        relation: node.relation,
        description: node.docs?.description ?? "",
        tags: node.config.tags,
        config: { column_types: node.config.columnTypes, tags: node.config.tags },
        columns: mergeColumns(node.docs?.columns ?? [], columns.get(node.name)),
        patch_path: node.docs?.location.file ?? null,
      };
    case "test":
      return {
        ...base,
        tags: node.config.tags,
        test_metadata: node.testType === "singular" ? null : { name: node.testType },
        column_name: node.column ?? null,
        attached_node: node.attachedTo ?? null,
        config: {
          severity: node.config.severity,
          where: node.config.where ?? null,
          scope: node.config.scope,
        },
        location: node.location,
        compiled_code: node.sql.text,
      };
  }
}

function sourceEntry(node: Node & { kind: "source" }): Record<string, unknown> {
  const { table } = node;
  return {
    unique_id: node.id,
    resource_type: "source",
    source_name: table.source,
    name: table.name,
    relation: table.relation,
    original_file_path: table.location.file,
    description: table.description ?? "",
    columns: Object.fromEntries(
      table.columns.map((column) => [
        column.name,
        { name: column.name, description: column.description ?? "", data_type: null },
      ]),
    ),
    loaded_at_field: table.freshness?.loadedAtField ?? null,
  };
}
