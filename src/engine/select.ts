/**
 * dbt's node selection: `name` (with `*` wildcards), `tag:x`, `path:models/marts`,
 * `source:shop`, graph operators `+name` (ancestors), `name+` (descendants), `2+name`
 * (depth), space-separated terms are a union and comma-joined terms an intersection.
 */
import { errors } from "../errors.ts";
import { childrenOf, type Graph, reachable } from "./dag.ts";

export interface Selectable {
  id: string;
  name: string;
  kind: "model" | "seed" | "source" | "test";
  tags: readonly string[];
  /** Project-relative file path. */
  file: string;
  /** `shop` for a source node. */
  sourceName?: string;
}

const TERM = /^(?:(\d*)\+)?(.+?)(?:\+(\d*))?$/;

/**
 * The ids matched by `selector` (and not by `exclude`). A term that matches nothing is a usage
 * error, so a typo never silently runs nothing.
 */
export function select(
  selector: string,
  exclude: string,
  nodes: readonly Selectable[],
  parents: Graph,
): Set<string> {
  const children = childrenOf(parents);
  const chosen = union(selector, nodes, parents, children);
  if (exclude.trim() !== "") for (const id of union(exclude, nodes, parents, children)) chosen.delete(id);
  return chosen;
}

function union(selector: string, nodes: readonly Selectable[], parents: Graph, children: Graph): Set<string> {
  const result = new Set<string>();
  for (const part of selector.split(/\s+/).filter(Boolean)) {
    const terms = part.split(",").map((term) => matchTerm(term, nodes, parents, children));
    const [first, ...rest] = terms;
    for (const id of first ?? []) if (rest.every((set) => set.has(id))) result.add(id);
  }
  return result;
}

function matchTerm(term: string, nodes: readonly Selectable[], parents: Graph, children: Graph): Set<string> {
  const parsed = TERM.exec(term);
  if (!parsed) throw errors.usage(`cannot read the selector '${term}'; see huitou run --help`);
  const [, up, body, down] = parsed;
  const matcher = methodOf(body as string);
  const matched = nodes.filter(matcher).map((node) => node.id);
  if (matched.length === 0) {
    throw errors.usage(
      `--select '${term}' matches nothing: no model, seed, source or test has that name, tag or path`,
    );
  }
  const result = new Set(matched);
  for (const id of matched) {
    if (up !== undefined) for (const other of reachable(parents, id, depth(up))) result.add(other);
    if (down !== undefined) for (const other of reachable(children, id, depth(down))) result.add(other);
  }
  return result;
}

const depth = (digits: string) => (digits === "" ? Number.POSITIVE_INFINITY : Number(digits));

function methodOf(body: string): (node: Selectable) => boolean {
  const colon = body.indexOf(":");
  const method = colon > 0 ? body.slice(0, colon) : "name";
  const value = colon > 0 ? body.slice(colon + 1) : body;
  switch (method) {
    case "name":
    case "fqn": {
      const pattern = glob(value);
      return (node) => pattern.test(node.name);
    }
    case "tag":
      return (node) => node.tags.includes(value);
    case "path": {
      const folder = value.replace(/^\.\//, "").replace(/\/+$/, "");
      return (node) => node.file === folder || node.file.startsWith(`${folder}/`);
    }
    case "source": {
      const [source, table] = value.split(".");
      return (node) =>
        node.kind === "source" && node.sourceName === source && (table === undefined || node.name === table);
    }
    case "resource_type":
      return (node) => node.kind === value;
    default:
      throw errors.usage(
        `unknown selector method '${method}:'; use a name, tag:, path:, source: or resource_type:`,
      );
  }
}

function glob(text: string): RegExp {
  const escaped = text
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replaceAll("*", ".*")
    .replaceAll("?", ".");
  return new RegExp(`^${escaped}$`);
}
