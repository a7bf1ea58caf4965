/**
 * The metric glossary: each published column's description (the one definition of the
 * metric), its unit and its display labels, read from target/manifest.json when the engine has
 * written one, else straight from the model YAML beside the marts (models/**\/*.yml), so a
 * page built before the first run still explains its numbers.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { parse as parseYaml } from "yaml";
import type { Locale } from "./types.ts";
import { parseUnit, type Unit } from "./units.ts";

export interface GlossaryEntry {
  model: string;
  column: string;
  description: string;
  unit?: Unit;
  label?: { zh?: string; en?: string };
}

export interface Glossary {
  /**
   * The entry of `model.column`; without a model (a computed column, an expression), the first
   * model documenting `column`. A known model never borrows another model's definition.
   */
  lookup(column: string, model?: string): GlossaryEntry | undefined;
  /** Every documented column of every model, for the Data page. */
  entries: GlossaryEntry[];
  /** Model descriptions (the grain), by model name. */
  models: Map<string, string>;
  /** The published marts (tag `published`, or a file under models/marts/). */
  published: Set<string>;
}

interface RawColumn {
  name?: unknown;
  description?: unknown;
  meta?: { unit?: unknown; label?: unknown; label_en?: unknown; label_zh?: unknown } | null;
}

/** Builds the lookup over entries; the first model documenting a bare column name wins. */
export function makeGlossary(
  entries: GlossaryEntry[],
  models = new Map<string, string>(),
  published = new Set<string>(),
): Glossary {
  const byKey = new Map<string, GlossaryEntry>();
  for (const entry of entries) {
    byKey.set(`${entry.model}.${entry.column}`, entry);
    if (!byKey.has(entry.column) && entry.description) byKey.set(entry.column, entry);
  }
  return {
    entries,
    models,
    published,
    lookup: (column, model) => (model ? byKey.get(`${model}.${column}`) : byKey.get(column)),
  };
}

function entryOf(model: string, column: RawColumn): GlossaryEntry | undefined {
  if (typeof column.name !== "string") return undefined;
  const meta = column.meta ?? {};
  const label = {
    zh:
      typeof meta.label_zh === "string"
        ? meta.label_zh
        : typeof meta.label === "string"
          ? meta.label
          : undefined,
    en: typeof meta.label_en === "string" ? meta.label_en : undefined,
  };
  return {
    model,
    column: column.name,
    description: typeof column.description === "string" ? column.description.trim() : "",
    unit: parseUnit(typeof meta.unit === "string" ? meta.unit : undefined),
    label: label.zh || label.en ? label : undefined,
  };
}

function columnsOf(columns: unknown): RawColumn[] {
  if (Array.isArray(columns)) return columns as RawColumn[];
  if (columns && typeof columns === "object") {
    return Object.entries(columns as Record<string, RawColumn>).map(([name, column]) => ({
      name,
      ...column,
    }));
  }
  return [];
}

/** Reads the glossary from a dbt-shaped manifest (`nodes.*.columns`), when it exists. */
export function glossaryFromManifest(manifest: unknown): Glossary {
  const entries: GlossaryEntry[] = [];
  const models = new Map<string, string>();
  const published = new Set<string>();
  const nodes = (manifest as { nodes?: unknown })?.nodes;
  const list = Array.isArray(nodes) ? nodes : nodes && typeof nodes === "object" ? Object.values(nodes) : [];
  for (const node of list as {
    name?: unknown;
    description?: unknown;
    columns?: unknown;
    resource_type?: unknown;
    tags?: unknown;
    original_file_path?: unknown;
  }[]) {
    if (typeof node?.name !== "string") continue;
    if (node.resource_type !== undefined && node.resource_type !== "model" && node.resource_type !== "seed")
      continue;
    const tags = Array.isArray(node.tags) ? node.tags : [];
    if (tags.includes("published") || String(node.original_file_path ?? "").startsWith("models/marts/"))
      published.add(node.name);
    if (typeof node.description === "string" && node.description)
      models.set(node.name, node.description.trim());
    for (const column of columnsOf(node.columns)) {
      const entry = entryOf(node.name, column);
      if (entry) entries.push(entry);
    }
  }
  return makeGlossary(entries, models, published);
}

/** Reads the glossary from dbt-style schema YAML files (`models: - name, columns`); `path` is relative to the project. */
export function glossaryFromYaml(files: { text: string; path: string }[]): Glossary {
  const entries: GlossaryEntry[] = [];
  const models = new Map<string, string>();
  const published = new Set<string>();
  for (const { text, path } of files) {
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch {
      // A broken YAML is the engine's error to report, with its location; the glossary skips it.
      continue;
    }
    const list = (doc as { models?: unknown })?.models;
    if (!Array.isArray(list)) continue;
    for (const model of list as { name?: unknown; description?: unknown; columns?: unknown }[]) {
      if (typeof model?.name !== "string") continue;
      if (path.startsWith("models/marts/")) published.add(model.name);
      if (typeof model.description === "string") models.set(model.name, model.description.trim());
      for (const column of columnsOf(model.columns)) {
        const entry = entryOf(model.name, column);
        if (entry) entries.push(entry);
      }
    }
  }
  return makeGlossary(entries, models, published);
}

async function yamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  let items: import("node:fs").Dirent[];
  try {
    items = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const item of items.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, item.name);
    if (item.isDirectory()) out.push(...(await yamlFiles(path)));
    else if (/\.ya?ml$/.test(item.name)) out.push(path);
  }
  return out;
}

/** The project's glossary: target/manifest.json beside the warehouse, else models/**\/*.yml. */
export async function loadGlossary(projectDir: string, manifestPath: string): Promise<Glossary> {
  try {
    const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
    const glossary = glossaryFromManifest(manifest);
    if (glossary.entries.length > 0) return glossary;
  } catch {
    // No manifest yet (a page previewed before the first run): fall back to the YAML.
  }
  const files = await yamlFiles(join(projectDir, "models"));
  const texts = await Promise.all(files.map((file) => readFile(file, "utf8")));
  return glossaryFromYaml(
    files.map((file, i) => ({ text: texts[i]!, path: relative(projectDir, file).split(sep).join("/") })),
  );
}

/** The label of a column in the locale: the YAML's `meta.label`, else the built-in one, else the name. */
export function columnLabel(
  column: string,
  locale: Locale,
  entry?: GlossaryEntry,
  builtIn?: Record<string, [string, string]>,
): string {
  const declared = entry?.label?.[locale];
  if (declared) return declared;
  const known = builtIn?.[column];
  if (known) return locale === "zh" ? known[0] : known[1];
  const words = column.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
