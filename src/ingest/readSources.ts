/**
 * Reads the dbt-style source declarations in `sources/*.yml`: `sources: - name, tables: - name,
 * description, columns, loaded_at_field, freshness`, plus huitou's `load:` block (per source as
 * defaults, per table as overrides) saying where a table's file is and how it maps onto the
 * raw contract. A project without its own sources/ gets the product's sources/shop.yml.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { isMap, LineCounter, type Node, parseDocument } from "yaml";
import { errors, HuitouError, HuitouErrors, type Location } from "../errors.ts";
import type { SourceTable } from "./api.ts";
import { CONTRACT, contractTable } from "./contract.ts";
import { parseFreshness, parseLoadSettings } from "./parseLoadSettings.ts";

/** The product's own declarations, used when a project has no sources/*.yml. */
export const PRODUCT_SOURCES_DIR = fileURLToPath(new URL("../../sources/", import.meta.url));

/** Every source table declared in `<projectDir>/sources/*.yml` (or the product's, if none). */
export async function readSources(projectDir: string): Promise<SourceTable[]> {
  let dir = join(projectDir, "sources");
  let files = await yamlFiles(dir);
  if (files.length === 0) {
    dir = PRODUCT_SOURCES_DIR;
    files = await yamlFiles(dir);
  }
  const tables: SourceTable[] = [];
  const problems: HuitouError[] = [];
  for (const file of files) {
    const path = join(dir, file);
    const display = relative(projectDir, path) || file;
    const text = await readFile(path, "utf8");
    try {
      tables.push(...parseSourcesYaml(text, display));
    } catch (error) {
      if (error instanceof HuitouErrors) problems.push(...error.errors);
      else if (error instanceof HuitouError) problems.push(error);
      else throw error;
    }
  }
  const seen = new Map<string, SourceTable>();
  for (const table of tables) {
    const earlier = seen.get(table.name);
    if (earlier) {
      problems.push(
        errors.config(
          `table ${table.name} is declared twice (also at ${earlier.location.file}:${earlier.location.line}); raw.${table.name} can hold only one`,
          table.location,
        ),
      );
    }
    seen.set(table.name, table);
  }
  if (problems.length > 0) throw new HuitouErrors(problems);
  return tables;
}

/** Parses one sources YAML text; `file` is how locations name it. Pure. */
export function parseSourcesYaml(text: string, file: string): SourceTable[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (node: Node | null | undefined): Location => {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw errors.config(`invalid YAML: ${first.message.split("\n")[0]}`, { file, line, column: col });
  }
  const root = doc.toJS() as { sources?: unknown } | null;
  const sources = root?.sources;
  if (sources === undefined) return [];
  if (!Array.isArray(sources)) throw errors.config("`sources:` must be a list", at(doc.contents));
  const problems: HuitouError[] = [];
  const tables: SourceTable[] = [];
  sources.forEach((source: Record<string, unknown>, i) => {
    const sourceNode = doc.getIn(["sources", i], true) as Node;
    if (!source || typeof source !== "object" || typeof source.name !== "string") {
      problems.push(errors.config("each source needs a `name:`", at(sourceNode)));
      return;
    }
    const list = source.tables ?? [];
    if (!Array.isArray(list)) {
      problems.push(errors.config(`source ${source.name}: \`tables:\` must be a list`, at(sourceNode)));
      return;
    }
    list.forEach((table: Record<string, unknown>, j) => {
      const node = doc.getIn(["sources", i, "tables", j], true) as Node;
      const location = at(isMap(node) ? (node.get("name", true) as Node) : node);
      try {
        tables.push(
          toTable(source, table, location, (path) =>
            at(doc.getIn(["sources", i, "tables", j, ...path], true) as Node),
          ),
        );
      } catch (error) {
        if (error instanceof HuitouError) problems.push(error);
        else throw error;
      }
    });
  });
  if (problems.length > 0) throw new HuitouErrors(problems);
  return tables;
}

function toTable(
  source: Record<string, unknown>,
  table: Record<string, unknown>,
  location: Location,
  locate: (path: (string | number)[]) => Location,
): SourceTable {
  if (!table || typeof table !== "object" || typeof table.name !== "string") {
    throw errors.config("each table needs a `name:`", location);
  }
  const name = table.name;
  const contract = contractTable(name);
  if (!contract) {
    const known = CONTRACT.map((one) => one.name).join(", ");
    throw errors.config(`table ${name} is not in the raw data contract; the tables are: ${known}`, location);
  }
  const columns = Array.isArray(table.columns)
    ? table.columns.map((column: Record<string, unknown>) => ({
        name: String(column?.name),
        ...(typeof column?.description === "string" ? { description: column.description } : {}),
        ...(Array.isArray(column?.tests) ? { tests: column.tests } : {}),
      }))
    : [];
  const freshness = parseFreshness(
    { ...pick(source, ["loaded_at_field", "freshness"]), ...pick(table, ["loaded_at_field", "freshness"]) },
    location,
  );
  const load = parseLoadSettings(
    name,
    contract.required,
    asRecord(source.load),
    asRecord(table.load),
    location,
    locate,
  );
  return {
    source: source.name as string,
    name,
    relation: `raw.${name}`,
    ...(typeof table.description === "string" ? { description: table.description } : {}),
    columns,
    ...(Array.isArray(table.tests) ? { tests: table.tests } : {}),
    ...(freshness ? { freshness } : {}),
    location,
    load,
  };
}

function pick(object: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (object[key] !== undefined) out[key] = object[key];
  return out;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

async function yamlFiles(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch {
    return [];
  }
}
