/**
 * Ephemeral models are never materialized: every query that reads one gets it inlined as a CTE
 * (dbt's `__dbt__cte__` approach). Ephemerals reading ephemerals are inlined in dependency
 * order. A query that already starts with `with` has its keyword blanked out (same length, so
 * columns stay exact) and the inlined CTEs joined in front of its own.
 */
import { quoteIdent } from "./adapters/adapter.ts";
import { concat, generated, type MappedSql } from "./lineMap.ts";
import type { Node } from "./types.ts";

/** The CTE name an ephemeral model is read through. */
export function cteName(model: string): string {
  return quoteIdent(`__huitou_cte__${model}`);
}

/** `sql` with the ephemeral models among `dependsOn` (and theirs) inlined as CTEs. */
export function withEphemerals(
  sql: MappedSql,
  dependsOn: readonly string[],
  nodes: ReadonlyMap<string, Node>,
): MappedSql {
  const order: string[] = [];
  const visit = (id: string) => {
    const node = nodes.get(id);
    if (node?.kind !== "model" || node.config.materialized !== "ephemeral" || order.includes(id)) return;
    for (const dep of node.dependsOn) visit(dep);
    order.push(id);
  };
  for (const id of dependsOn) visit(id);
  if (order.length === 0) return sql;

  const leading = /^((?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*)(with(?:\s+recursive)?)\b/i.exec(sql.text);
  const keyword = leading ? leading[2]?.replace(/\s+/g, " ").toLowerCase() : "with";
  const parts: MappedSql[] = [];
  order.forEach((id, index) => {
    const node = nodes.get(id) as Node & { kind: "model" };
    parts.push(generated(`${index === 0 ? `${keyword} ` : ""}${cteName(node.name)} as (`));
    parts.push(node.sql);
    parts.push(generated(index < order.length - 1 || leading ? ")," : ")"));
  });
  if (!leading) return concat(...parts, sql);
  const start = (leading[1] as string).length;
  const blanked =
    sql.text.slice(0, start) + (leading[2] as string).replace(/\S/g, " ") + sql.text.slice(leading[0].length);
  return concat(...parts, { text: blanked, lines: sql.lines });
}
