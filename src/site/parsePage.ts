/**
 * Parses a page in Evidence's Markdown syntax into its queries and a block tree: frontmatter,
 * named ```` ```sql name ```` fences, `{expression}` values, PascalCase components
 * (`<BigValue data={q} value=x/>`, with children), and the `{#if}` / `{:else if}` / `{:else}` /
 * `{/if}` and `{#each rows as row, i}` / `{/each}` blocks. Every node keeps its line and column
 * in the page file, so errors point into the page. Pure: text in, tree out.
 */
import { parse as parseYaml } from "yaml";
import { errors } from "../errors.ts";

export interface QueryDef {
  name: string;
  sql: string;
  /** Line of the fence's first SQL line in the page file (1-based). */
  line: number;
}

export type PropValue = { kind: "string"; text: string } | { kind: "expr"; expr: string } | { kind: "flag" };

export interface Prop {
  name: string;
  value: PropValue;
}

export interface Pos {
  line: number;
  column: number;
}

export type Block =
  | ({ type: "text"; text: string } & Pos)
  | ({ type: "expr"; expr: string } & Pos)
  | ({ type: "component"; name: string; props: Prop[]; children: Block[]; inline: boolean } & Pos)
  | ({ type: "if"; branches: { cond: string | null; body: Block[]; line: number }[] } & Pos)
  | ({ type: "each"; source: string; alias: string; index?: string; body: Block[] } & Pos);

export interface ParsedPage {
  file: string;
  frontmatter: Record<string, unknown>;
  queries: QueryDef[];
  body: Block[];
}

type Frame =
  | { kind: "root"; body: Block[] }
  | { kind: "component"; node: Extract<Block, { type: "component" }>; body: Block[] }
  | { kind: "if"; node: Extract<Block, { type: "if" }>; body: Block[] }
  | { kind: "each"; node: Extract<Block, { type: "each" }>; body: Block[] };

/** Parses one page; `file` is the page's path relative to the project, for errors. */
export function parsePage(source: string, file: string): ParsedPage {
  const text = source.replace(/\r\n?/g, "\n");
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const posOf = (offset: number): Pos => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  const fail = (message: string, offset: number) => {
    const { line, column } = posOf(offset);
    return errors.page(message, { file, line, column }, source);
  };

  let frontmatter: Record<string, unknown> = {};
  let i = 0;
  const fm = /^---\n([\s\S]*?)\n---[ \t]*(\n|$)/.exec(text);
  if (fm) {
    try {
      frontmatter = (parseYaml(fm[1]!) as Record<string, unknown>) ?? {};
    } catch (error) {
      throw fail(`frontmatter is not valid YAML: ${(error as Error).message.split("\n")[0]}`, 4);
    }
    i = fm[0].length;
  }

  const queries: QueryDef[] = [];
  const root: Frame = { kind: "root", body: [] };
  const stack: Frame[] = [root];
  const top = () => stack[stack.length - 1]!;
  let textStart = i;
  let textBuffer = "";
  let bufferStart = 0;
  const take = (from: number, to: number) => {
    if (to <= from) return;
    if (!textBuffer) bufferStart = from;
    textBuffer += text.slice(from, to);
  };
  const flushText = (end: number) => {
    take(textStart, end);
    if (textBuffer) top().body.push({ type: "text", text: textBuffer, ...posOf(bufferStart) });
    textBuffer = "";
  };
  const atLineStart = (offset: number) => /(^|\n)[ \t]*$/.test(text.slice(Math.max(0, offset - 200), offset));

  while (i < text.length) {
    const ch = text[i]!;
    // Fenced code: ```sql name is a query; any other fence is shown as code, verbatim.
    if (ch === "`" && text.startsWith("```", i) && atLineStart(i)) {
      const infoEnd = text.indexOf("\n", i);
      const info = text.slice(i + 3, infoEnd === -1 ? text.length : infoEnd).trim();
      const close = infoEnd === -1 ? -1 : text.indexOf("\n```", infoEnd);
      if (close === -1) throw fail("this code fence is never closed: add a line with ``` after it", i);
      const closeEnd = text.indexOf("\n", close + 4);
      const end = closeEnd === -1 ? text.length : closeEnd + 1;
      const sqlFence = /^sql\s+([A-Za-z_][\w]*)\s*$/.exec(info);
      if (sqlFence) {
        flushText(i);
        const name = sqlFence[1]!;
        if (queries.some((query) => query.name === name)) {
          throw fail(`a query named '${name}' is defined twice on this page: rename one`, i);
        }
        queries.push({ name, sql: text.slice(infoEnd + 1, close + 1), line: posOf(infoEnd + 1).line });
        textStart = end;
      } else if (/^sql\b/.test(info)) {
        throw fail("a ```sql fence needs a query name: write ```sql my_query", i);
      } else {
        take(textStart, end);
        textStart = end;
      }
      i = end;
      continue;
    }
    // Inline code spans are text: braces inside them are not expressions.
    if (ch === "`") {
      const run = /^`+/.exec(text.slice(i))![0];
      const close = text.indexOf(run, i + run.length);
      i = close === -1 ? i + run.length : close + run.length;
      continue;
    }
    if (ch === "<" && text.startsWith("<!--", i)) {
      const close = text.indexOf("-->", i);
      if (close === -1) throw fail("this HTML comment is never closed: add -->", i);
      flushText(i);
      i = close + 3;
      textStart = i;
      continue;
    }
    if (ch === "<" && /^<\/?[A-Z]/.test(text.slice(i, i + 3))) {
      flushText(i);
      const at = posOf(i);
      if (text[i + 1] === "/") {
        const match = /^<\/([A-Z][\w]*)\s*>/.exec(text.slice(i));
        if (!match) throw fail("malformed closing tag: write </Name>", i);
        const frame = top();
        if (frame.kind !== "component" || frame.node.name !== match[1]) {
          throw fail(`</${match[1]}> closes nothing: no <${match[1]}> is open here`, i);
        }
        frame.node.children = frame.body;
        stack.pop();
        i += match[0].length;
      } else {
        const tag = parseTag(text, i, fail);
        const node = {
          type: "component" as const,
          name: tag.name,
          props: tag.props,
          children: [],
          inline: !atLineStart(i),
          ...at,
        };
        top().body.push(node);
        if (!tag.selfClosing) stack.push({ kind: "component", node, body: [] });
        i = tag.end;
      }
      textStart = i;
      continue;
    }
    if (ch === "{") {
      const end = matchBrace(text, i);
      if (end === -1) throw fail("this { is never closed: add the matching }", i);
      const inner = text.slice(i + 1, end).trim();
      const braceAt = i;
      const at = posOf(i);
      flushText(i);
      i = end + 1;
      textStart = i;
      const open = /^#(if|each)\s+([\s\S]+)$/.exec(inner);
      if (open) {
        if (open[1] === "if") {
          const node = {
            type: "if" as const,
            branches: [{ cond: open[2]!.trim(), body: [] as Block[], line: at.line }],
            ...at,
          };
          top().body.push(node);
          stack.push({ kind: "if", node, body: node.branches[0]!.body });
        } else {
          const each = /^([\s\S]+?)\s+as\s+([A-Za-z_$][\w$]*)\s*(?:,\s*([A-Za-z_$][\w$]*))?$/.exec(
            open[2]!.trim(),
          );
          if (!each) throw fail("write {#each query as row} or {#each query as row, i}", braceAt);
          const node = {
            type: "each" as const,
            source: each[1]!.trim(),
            alias: each[2]!,
            index: each[3],
            body: [],
            ...at,
          };
          top().body.push(node);
          stack.push({ kind: "each", node, body: node.body });
        }
        continue;
      }
      const elseMatch = /^:else(?:\s+if\s+([\s\S]+))?$/.exec(inner);
      if (elseMatch) {
        const frame = top();
        if (frame.kind !== "if") throw fail("{:else} outside an {#if} block", braceAt);
        const branch = { cond: elseMatch[1]?.trim() ?? null, body: [] as Block[], line: at.line };
        frame.node.branches.push(branch);
        frame.body = branch.body;
        continue;
      }
      const close = /^\/(if|each)$/.exec(inner);
      if (close) {
        const frame = top();
        if (frame.kind !== close[1])
          throw fail(`{/${close[1]}} closes nothing: no {#${close[1]}} is open here`, braceAt);
        stack.pop();
        continue;
      }
      if (inner.startsWith("#") || inner.startsWith(":") || inner.startsWith("/") || inner.startsWith("@")) {
        throw fail(
          `unsupported block {${inner.split(/\s/)[0]}}: the supported ones are {#if}, {:else}, {#each}`,
          braceAt,
        );
      }
      top().body.push({ type: "expr", expr: inner, ...at });
      continue;
    }
    i++;
  }
  flushText(text.length);
  if (stack.length > 1) {
    const open = top();
    const node = open.kind === "root" ? undefined : open.node;
    const what = open.kind === "component" ? `<${open.node.name}>` : `{#${open.kind}}`;
    const at = node ? node : { line: 1, column: 1 };
    throw errors.page(`${what} is never closed`, { file, line: at.line, column: at.column }, source);
  }
  return { file, frontmatter, queries, body: root.body };
}

/** The offset of the `}` matching the `{` at `start`, skipping strings; -1 if none. */
export function matchBrace(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'" || ch === "`") {
      const close = text.indexOf(ch, i + 1);
      if (close === -1) return -1;
      i = close;
    } else if (ch === "{") depth++;
    else if (ch === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function parseTag(
  text: string,
  start: number,
  fail: (message: string, offset: number) => Error,
): { name: string; props: Prop[]; selfClosing: boolean; end: number } {
  const name = /^<([A-Z][\w]*)/.exec(text.slice(start))![1]!;
  let i = start + 1 + name.length;
  const props: Prop[] = [];
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) throw fail(`<${name}> is never closed: end it with /> or >`, start);
    if (text.startsWith("/>", i)) return { name, props, selfClosing: true, end: i + 2 };
    if (text[i] === ">") return { name, props, selfClosing: false, end: i + 1 };
    const attr = /^[A-Za-z_][\w-]*/.exec(text.slice(i));
    if (!attr) throw fail(`unexpected '${text[i]}' in <${name}>: attributes read name=value`, i);
    const propName = attr[0];
    i += propName.length;
    if (text[i] !== "=") {
      props.push({ name: propName, value: { kind: "flag" } });
      continue;
    }
    i++;
    const quote = text[i];
    if (quote === '"' || quote === "'") {
      const close = text.indexOf(quote, i + 1);
      if (close === -1) throw fail(`the value of ${propName} is never closed: add ${quote}`, i);
      props.push({ name: propName, value: { kind: "string", text: text.slice(i + 1, close) } });
      i = close + 1;
    } else if (quote === "{") {
      const close = matchBrace(text, i);
      if (close === -1) throw fail(`the value of ${propName} is never closed: add }`, i);
      props.push({ name: propName, value: { kind: "expr", expr: text.slice(i + 1, close).trim() } });
      i = close + 1;
    } else {
      const bare = /^[^\s/>]+/.exec(text.slice(i));
      if (!bare) throw fail(`${propName}= needs a value`, i);
      props.push({ name: propName, value: { kind: "string", text: bare[0] } });
      i += bare[0].length;
    }
  }
}
