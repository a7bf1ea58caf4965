/**
 * YAML with positions: the plain value plus a way to find where any part of it was written,
 * so a configuration error can point at `file:line:column` (the `yaml` package's LineCounter).
 */
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { codeFrame, errors, type HuitouError, type Location } from "../errors.ts";

export type YamlPath = readonly (string | number)[];

export interface YamlFile {
  file: string;
  source: string;
  value: unknown;
  /** Where the value at `path` starts; `key: true` points at the key of a mapping entry instead. */
  locate(path: YamlPath, key?: boolean): Location;
  /** A configuration error (exit 2) at `path`, with a code frame. */
  fail(message: string, path: YamlPath, key?: boolean): HuitouError;
}

/** Parses `source` (the text of `file`, a project-relative path); a syntax error is a config error. */
export function parseYamlFile(file: string, source: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    const message = first.message.split("\n")[0] ?? first.message;
    throw errors.config(
      `invalid YAML: ${message}; fix the syntax`,
      { file, line: pos.line, column: pos.col },
      codeFrame(source, pos.line, pos.col),
    );
  }
  const at = (offset: number): Location => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  const locate = (path: YamlPath, key = false): Location => {
    let node: unknown = doc.contents;
    let found: Location = at(0);
    if (isNode(node) && node.range) found = at(node.range[0]);
    for (const step of path) {
      const next = child(node, step);
      if (!next) break;
      const target = key && step === path[path.length - 1] ? next.key : next.value;
      if (isNode(target) && target.range) found = at(target.range[0]);
      node = next.value;
    }
    return found;
  };
  return {
    file,
    source,
    value: doc.toJS() ?? null,
    locate,
    fail(message, path, key = false) {
      const location = locate(path, key);
      return errors.config(message, location, codeFrame(source, location.line ?? 1, location.column));
    },
  };
}

function child(node: unknown, step: string | number): { key: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === String(step)) {
        return { key: pair.key, value: pair.value };
      }
    }
    return undefined;
  }
  if (isSeq(node) && typeof step === "number") {
    const item = node.items[step] as Node | undefined;
    return item ? { key: item, value: item } : undefined;
  }
  return undefined;
}

/** True for a plain mapping (not a list, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at `path` inside parsed YAML (mappings by key, lists by index); undefined when absent. */
export function valueAt(root: unknown, path: YamlPath): unknown {
  let node = root;
  for (const step of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}
