/**
 * The Data page's documentation components (our additions to Evidence's set): `<Glossary/>`
 * (every published column's definition, from the manifest or the model YAML),
 * `<Lineage/>` (each model's parents, from target/manifest.json) and `<TestResults/>` (the data
 * tests of the last run, from target/run_results.json). Each renders as a sortable table.
 */
import type { Row } from "../../engine/adapters/adapter.ts";
import type { PageEnv, QueryData } from "../compile/scope.ts";
import { ui } from "../i18n.ts";
import type { DataTableNode } from "../types.ts";
import { tableData } from "./dataTable.ts";

export const DOC_COMPONENTS = new Set(["Glossary", "Lineage", "TestResults"]);

function node(
  name: string,
  rows: Row[],
  env: PageEnv,
  labels: Record<string, [string, string]>,
): DataTableNode {
  const columns = Object.keys(labels).map((column) => ({ name: column, type: "VARCHAR" }));
  const data: QueryData = { name, rows, columns };
  const specs = Object.entries(labels).map(([id, [zh, en]]) => ({
    id,
    title: env.locale === "zh" ? zh : en,
    fmt: "text",
  }));
  const table = tableData(data, specs, env, { name, limit: 2000 });
  return {
    kind: "dataTable",
    table,
    definitions: [],
    ...(rows.length === 0 ? { empty: ui("noData", env.locale) } : {}),
  };
}

interface ManifestNode {
  name?: string;
  resource_type?: string;
  original_file_path?: string;
  depends_on?: { nodes?: string[] };
}

function manifestNodes(manifest: unknown): ManifestNode[] {
  const nodes = (manifest as { nodes?: unknown } | undefined)?.nodes;
  return nodes && typeof nodes === "object" ? (Object.values(nodes) as ManifestNode[]) : [];
}

export function docComponent(name: string, env: PageEnv): DataTableNode {
  if (name === "Glossary") {
    const rows = env.glossary.entries
      .filter((entry) => entry.description && env.glossary.published.has(entry.model))
      .map((entry) => ({ model: entry.model, column: entry.column, description: entry.description }));
    return node("glossary", rows, env, {
      model: ["表", "Table"],
      column: ["字段", "Column"],
      description: ["定义", "Definition"],
    });
  }
  if (name === "Lineage") {
    const rows = manifestNodes(env.docs.manifest)
      .filter((n) => n.resource_type === "model" && typeof n.name === "string")
      .map((n) => ({
        model: n.name!,
        layer: (n.original_file_path ?? "").split("/")[1] ?? "",
        depends_on: (n.depends_on?.nodes ?? []).map((id) => id.split(".").pop()).join(", "),
      }))
      .sort((a, b) => a.layer.localeCompare(b.layer) || a.model.localeCompare(b.model));
    return node("lineage", rows, env, {
      model: ["模型", "Model"],
      layer: ["层", "Layer"],
      depends_on: ["依赖", "Depends on"],
    });
  }
  const results =
    (
      env.docs.runResults as
        | { results?: { unique_id?: string; status?: string; failures?: number | null; message?: string }[] }
        | undefined
    )?.results ?? [];
  const rows = results
    .filter((result) => result.unique_id?.startsWith("test."))
    .map((result) => ({
      test: result.unique_id!.split(".").slice(2).join("."),
      status: result.status ?? "",
      failures: result.failures ?? null,
      message: result.message ?? "",
    }))
    .sort(
      (a, b) => Number(a.status === "pass") - Number(b.status === "pass") || a.test.localeCompare(b.test),
    );
  return node("test_results", rows, env, {
    test: ["测试", "Test"],
    status: ["状态", "Status"],
    failures: ["失败行", "Failing rows"],
    message: ["说明", "Message"],
  });
}
