/**
 * Where each line of generated SQL came from. Templates are rendered with a marker at the start
 * of every template line that begins outside a Jinja tag; after rendering, the markers are
 * stripped and remembered, so a database error at "LINE 9" of a statement maps back to the
 * model file and line that produced it. Lines that only substitute refs stay 1:1 with the
 * template (exact, column included); macro output maps to the line of the call.
 */
import type { Location } from "../errors.ts";

/** Part of an output line that starts at `column` (0-based) and came from `file`:`line`. */
export interface Segment {
  column: number;
  file: string;
  line: number;
  /** A fixed template column for the whole segment (SQL generated from a YAML entry). */
  pinned?: number;
}

/** SQL text and, per line of it, the segments it came from ([] for generated lines). */
export interface MappedSql {
  text: string;
  lines: Segment[][];
}

const MARK_OPEN = "\uE000";
const MARK_CLOSE = "\uE001";
const TOKEN_OPEN = "\uE002";
const TOKEN_CLOSE = "\uE003";
const PIECES = /\uE000(\d+)\uE001|\uE002([^\uE003]*)\uE003/g;

/** A placeholder the renderer emits (for `ref`) and `finalize` replaces once all models are known. */
export function placeholder(key: string): string {
  return `${TOKEN_OPEN}${key}${TOKEN_CLOSE}`;
}

/** Inserts a line marker at each line start of `template` that lies outside `{{ }}`, `{% %}`, `{# #}`. */
export function addMarkers(template: string): string {
  const out: string[] = [`${MARK_OPEN}1${MARK_CLOSE}`];
  let close = ""; // the closing delimiter of the tag we are in, "" in text
  let quote = "";
  let line = 1;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i] as string;
    out.push(ch);
    if (ch === "\n") {
      line++;
      if (close === "") out.push(`${MARK_OPEN}${line}${MARK_CLOSE}`);
      continue;
    }
    if (close === "") {
      const next = template[i + 1];
      if (ch === "{" && (next === "{" || next === "%" || next === "#")) {
        close = next === "{" ? "}}" : `${next}}`;
        out.push(next);
        i++;
      }
    } else if (quote !== "") {
      if (ch === "\\") {
        out.push(template[i + 1] ?? "");
        i++;
      } else if (ch === quote) quote = "";
    } else if ((ch === '"' || ch === "'") && close !== "#}") {
      quote = ch;
    } else if (ch === close[0] && template[i + 1] === close[1]) {
      out.push(close[1] as string);
      i++;
      close = "";
    }
  }
  return out.join("");
}

/**
 * Strips the markers from a rendered template and replaces its placeholders, recording for each
 * output line which template lines (of `file`) produced it.
 */
export function finalize(rendered: string, file: string, replace: (key: string) => string): MappedSql {
  const text: string[] = [];
  const lines: Segment[][] = [[]];
  let column = 0;
  let current = 1;
  const push = (piece: string) => {
    const parts = piece.split("\n");
    parts.forEach((part, index) => {
      if (index > 0) {
        lines.push([{ column: 0, file, line: current }]);
        column = 0;
      }
      column += part.length;
    });
    text.push(piece);
  };
  lines[0]?.push({ column: 0, file, line: current });
  let last = 0;
  for (const match of rendered.matchAll(PIECES)) {
    push(rendered.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[1] !== undefined) {
      current = Number(match[1]);
      const row = lines[lines.length - 1] as Segment[];
      // A marker at the start of a line replaces the inherited origin rather than adding one.
      if (row.length > 0 && (row[row.length - 1] as Segment).column === column) row.pop();
      row.push({ column, file, line: current });
    } else {
      push(replace(match[2] as string));
    }
  }
  push(rendered.slice(last));
  return { text: text.join(""), lines };
}

/** SQL the engine wrote itself: no origin. */
export function generated(text: string): MappedSql {
  return { text, lines: text.split("\n").map(() => []) };
}

/** SQL whose every line is blamed on one place (a generic test: its YAML entry). */
export function attributed(text: string, location: Location): MappedSql {
  const segment: Segment = { column: 0, file: location.file, line: location.line ?? 1 };
  if (location.column !== undefined) segment.pinned = location.column;
  return { text, lines: text.split("\n").map(() => [segment]) };
}

/** Joins pieces with newlines, keeping each line's origin. */
export function concat(...parts: MappedSql[]): MappedSql {
  return {
    text: parts.map((part) => part.text).join("\n"),
    lines: parts.flatMap((part) => part.lines),
  };
}

/**
 * The template position of `line`:`column` (1-based) in `sql`, using `sources` (file → text)
 * for the column: exact where the output matches the template line, else the start of the
 * Jinja expression that produced it. Undefined for generated lines.
 */
export function locate(
  sql: MappedSql,
  line: number,
  column: number | undefined,
  sources: ReadonlyMap<string, string>,
): Location | undefined {
  const segments = sql.lines[line - 1];
  if (!segments || segments.length === 0) return undefined;
  const col = (column ?? 1) - 1;
  let index = 0;
  for (let i = 0; i < segments.length; i++) if ((segments[i] as Segment).column <= col) index = i;
  const segment = segments[index] as Segment;
  if (segment.pinned !== undefined) return { file: segment.file, line: segment.line, column: segment.pinned };
  if (column === undefined) return { file: segment.file, line: segment.line };
  const outputLine = sql.text.split("\n")[line - 1] ?? "";
  const end = segments[index + 1]?.column ?? outputLine.length;
  const rendered = outputLine.slice(segment.column, end);
  const template = sources.get(segment.file)?.split("\n")[segment.line - 1];
  if (template === undefined) return { file: segment.file, line: segment.line };
  return {
    file: segment.file,
    line: segment.line,
    column: templateColumn(rendered, template, col - segment.column),
  };
}

function templateColumn(rendered: string, template: string, offset: number): number {
  let prefix = 0;
  while (prefix < rendered.length && rendered[prefix] === template[prefix]) prefix++;
  if (offset < prefix) return offset + 1;
  let suffix = 0;
  while (
    suffix < rendered.length - prefix &&
    suffix < template.length - prefix &&
    rendered[rendered.length - 1 - suffix] === template[template.length - 1 - suffix]
  ) {
    suffix++;
  }
  const fromEnd = rendered.length - offset;
  if (fromEnd <= suffix) return template.length - fromEnd + 1;
  return prefix + 1;
}

/** `sql` without trailing whitespace and semicolons (a statement is wrapped, so they would break it). */
export function trimStatement(sql: MappedSql): MappedSql {
  const text = sql.text.replace(/[\s;]+$/, "");
  return { text, lines: sql.lines.slice(0, text.split("\n").length) };
}
