/**
 * Turns a page's block tree into render nodes for one set of filter values: prose (text,
 * `{values}`, inline `<Value/>`, and `{#if}`/`{#each}` over prose) becomes Markdown runs;
 * components become their nodes; `{#if}`/`{#each}` around components repeat or choose them.
 */
import type { Row } from "../../engine/adapters/adapter.ts";
import { bigValue } from "../components/bigValue.ts";
import { CHARTS, chart, WIDE } from "../components/chart.ts";
import { type ColumnSpec, dataTable } from "../components/dataTable.ts";
import { DOC_COMPONENTS, docComponent } from "../components/projectDocs.ts";
import { routeDepth, siteHref } from "../escape.ts";
import { columnOf, parseExpression } from "../expression.ts";
import { formatValue } from "../format.ts";
import { valueLabel } from "../i18n.ts";
import { MarkdownRun } from "../markdown.ts";
import type { Block } from "../parsePage.ts";
import type { RenderNode } from "../types.ts";
import { describeColumn } from "./columns.ts";
import type { InputDef } from "./inputs.ts";
import { resolveProps, text } from "./props.ts";
import { evalAt, pageError, type QueryData, type Scope } from "./scope.ts";

type ComponentBlock = Extract<Block, { type: "component" }>;

export interface RenderContext {
  inputs: Map<string, InputDef>;
  /** The SQL of a query by name (to find the model it reads, for the glossary). */
  sqlOf: (name: string) => string | undefined;
}

const CONTAINERS = new Set(["Grid", "Group", "Alert", "Details"]);
const IGNORED = new Set(["DropdownOption", "ButtonGroupItem", "Column"]);

/** Whether a block reads as prose (joins the surrounding Markdown). */
export function isInline(block: Block): boolean {
  switch (block.type) {
    case "text":
    case "expr":
      return true;
    case "component":
      return block.inline || block.name === "Value";
    case "if":
      return block.branches.every((branch) => branch.body.every(isInline));
    case "each":
      return block.body.every(isInline);
  }
}

/** Renders blocks to nodes; consecutive prose blocks form one Markdown run. */
export function renderBlocks(blocks: Block[], scope: Scope, ctx: RenderContext): RenderNode[] {
  const nodes: RenderNode[] = [];
  let run: MarkdownRun | undefined;
  const flush = () => {
    if (run && !run.empty)
      nodes.push({ kind: "html", html: run.render((href) => siteHref(href, routeDepth(scope.env.route))) });
    run = undefined;
  };
  for (const block of blocks) {
    if (isInline(block)) {
      run ??= new MarkdownRun();
      renderInline(block, scope, run, ctx);
      continue;
    }
    flush();
    nodes.push(...renderBlock(block, scope, ctx));
  }
  flush();
  return nodes;
}

function renderInline(block: Block, scope: Scope, run: MarkdownRun, ctx: RenderContext): void {
  switch (block.type) {
    case "text":
      run.text(block.text);
      return;
    case "expr":
      run.splice({ text: formatExpression(block.expr, scope, block) });
      return;
    case "component":
      if (block.name !== "Value")
        throw pageError(
          scope.env,
          `<${block.name}> must stand on its own line (only <Value/> goes inside text)`,
          block,
        );
      run.splice({ text: valueComponent(block, scope) });
      return;
    case "if": {
      const branch = block.branches.find((b) => b.cond === null || evalAt(scope, b.cond, { line: b.line }));
      for (const child of branch?.body ?? []) renderInline(child, scope, run, ctx);
      return;
    }
    case "each":
      for (const inner of loopScopes(block, scope))
        for (const child of block.body) renderInline(child, inner, run, ctx);
      return;
  }
}

function renderBlock(block: Block, scope: Scope, ctx: RenderContext): RenderNode[] {
  if (block.type === "if") {
    const branch = block.branches.find((b) => b.cond === null || evalAt(scope, b.cond, { line: b.line }));
    return branch ? renderBlocks(branch.body, scope, ctx) : [];
  }
  if (block.type === "each")
    return loopScopes(block, scope).flatMap((inner) => renderBlocks(block.body, inner, ctx));
  if (block.type !== "component") return [];
  return renderComponent(block, scope, ctx);
}

const KNOWN = new Set([
  ...IGNORED,
  ...CONTAINERS,
  ...CHARTS,
  ...DOC_COMPONENTS,
  "Dropdown",
  "ButtonGroup",
  "DateRange",
  "Value",
  "BigValue",
  "DataTable",
]);

function renderComponent(block: ComponentBlock, scope: Scope, ctx: RenderContext): RenderNode[] {
  const { env } = scope;
  if (!KNOWN.has(block.name)) {
    throw pageError(
      env,
      `unknown component <${block.name}>: the supported ones are ${[...KNOWN].filter((name) => !IGNORED.has(name)).join(", ")}`,
      block,
    );
  }
  if (IGNORED.has(block.name)) return [];
  if (block.name === "Dropdown" || block.name === "ButtonGroup" || block.name === "DateRange") {
    const name = block.props.find((prop) => prop.name === "name");
    const def = name?.value.kind === "string" ? ctx.inputs.get(name.value.text) : undefined;
    return def ? [def.node] : [];
  }
  if (CONTAINERS.has(block.name)) {
    const props = resolveProps(block, scope);
    if (block.name === "Grid" || block.name === "Group") {
      const wanted = Number(text(props, "cols") ?? 2);
      const cols = Number.isFinite(wanted) ? Math.min(4, Math.max(1, wanted)) : 2;
      // Charts in a column are drawn for the column's width, so their text keeps its size.
      const width = Math.max(360, Math.floor((scope.width ?? WIDE) / cols) - 16);
      return [{ kind: "grid", cols, nodes: renderBlocks(block.children, { ...scope, width }, ctx) }];
    }
    const children = renderBlocks(block.children, scope, ctx);
    if (block.name === "Details")
      return [{ kind: "details", title: text(props, "title") ?? "", nodes: children }];
    const status = text(props, "status");
    return [
      {
        kind: "alert",
        status: status === "warning" || status === "positive" || status === "negative" ? status : "info",
        nodes: children,
      },
    ];
  }
  if (block.name === "Value")
    return [{ kind: "html", html: `<p>${escapeText(valueComponent(block, scope))}</p>` }];
  if (DOC_COMPONENTS.has(block.name)) return [docComponent(block.name, env)];
  const props = resolveProps(block, scope);
  const { data, sql } = dataOf(block, scope, ctx);
  if (block.name === "BigValue") return [bigValue(props, data, env, sql)];
  if (block.name === "DataTable") {
    const specs: ColumnSpec[] = block.children.flatMap((child) => {
      if (child.type !== "component" || child.name !== "Column") return [];
      const column = resolveProps(child, scope);
      const id = text(column, "id");
      if (!id) throw pageError(env, "<Column> needs id=column_name", child);
      return [{ id, title: text(column, "title"), fmt: text(column, "fmt") }];
    });
    return [dataTable(props, specs, data, env, sql)];
  }
  return [chart(block.name, props, data, env, block, sql, scope.width)];
}

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The query result a component reads (`data={q}`), or rows computed by an expression. */
function dataOf(block: ComponentBlock, scope: Scope, ctx: RenderContext): { data: QueryData; sql?: string } {
  const prop = block.props.find((p) => p.name === "data");
  if (prop?.value.kind !== "expr")
    throw pageError(scope.env, `<${block.name}> needs data={query_name}`, block);
  const name = prop.value.expr;
  const known = scope.data.get(name);
  if (known) return { data: known, sql: ctx.sqlOf(name) };
  const value = evalAt(scope, name, block);
  if (!Array.isArray(value)) throw pageError(scope.env, `data={${name}} is not a query of this page`, block);
  const rows = value as Row[];
  const columns = Object.keys(rows[0] ?? {}).map((column) => ({ name: column, type: "" }));
  return { data: { name, rows, columns } };
}

function loopScopes(block: Extract<Block, { type: "each" }>, scope: Scope): Scope[] {
  const list = evalAt(scope, block.source, block);
  if (!Array.isArray(list)) throw pageError(scope.env, `{#each ${block.source}}: not a list of rows`, block);
  return list.map((item, index) => ({
    ...scope,
    vars: { ...scope.vars, [block.alias]: item, ...(block.index ? { [block.index]: index } : {}) },
  }));
}

/** A `{value}` in prose, formatted by the unit of the column it reads. */
function formatExpression(expr: string, scope: Scope, at: { line: number; column: number }): string {
  const value = evalAt(scope, expr, at);
  if (value === null || value === undefined) return "—";
  if (typeof value === "object")
    throw pageError(
      scope.env,
      `{${expr}} is a list or row, not a value: pick one, e.g. {${expr}[0].column}`,
      at,
    );
  let column: string | undefined;
  try {
    column = columnOf(parseExpression(expr));
  } catch {
    column = undefined;
  }
  if (column === undefined)
    return typeof value === "number"
      ? formatValue(value, "number", scope.env.locale, { compact: true })
      : String(value);
  const unit = describeColumn(
    column,
    { name: "", rows: [{ [column]: value as string | number | boolean }], columns: [] },
    scope.env,
  ).unit;
  // A coded value reads by its display name (`sms` → 短信), as in tables and charts.
  if (unit === "text" && typeof value === "string") return valueLabel(column, value, scope.env.locale);
  return formatValue(value as string | number | boolean, unit, scope.env.locale, { compact: true });
}

/** Evidence's `<Value data={q} column=x row=0 fmt=pct/>`. */
function valueComponent(block: ComponentBlock, scope: Scope): string {
  const props = resolveProps(block, scope);
  const rows = props.data;
  if (!Array.isArray(rows)) throw pageError(scope.env, "<Value> needs data={query_name}", block);
  const row = rows[Number(text(props, "row") ?? 0)] as Row | undefined;
  const column = text(props, "column") ?? Object.keys(row ?? {})[0];
  if (!row || column === undefined) return "—";
  const unit = describeColumn(column, { name: "", rows: [row], columns: [] }, scope.env, {
    fmt: text(props, "fmt"),
  }).unit;
  return formatValue(row[column], unit, scope.env.locale, { compact: true });
}
