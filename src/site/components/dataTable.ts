/**
 * Evidence's DataTable: the query's rows (or the `<Column id=... title=... fmt=.../>` children),
 * formatted by unit, sortable and downloadable as CSV in the browser. `link=col` makes the
 * first cell of each row a link to that column's (site-relative) URL. At most `rows` rows
 * (default 200) are embedded, to keep every page light.
 */

import { describeColumn, sourceTable } from "../compile/columns.ts";
import { type Props, text } from "../compile/props.ts";
import type { PageEnv, QueryData } from "../compile/scope.ts";
import { routeDepth, siteHref } from "../escape.ts";
import { formatValue } from "../format.ts";
import { ui, valueLabel } from "../i18n.ts";
import type { DataTableNode, TableData } from "../types.ts";

export interface ColumnSpec {
  id: string;
  title?: string;
  fmt?: string;
}

const MAX_ROWS = 200;

/** A table of `data` with the given columns (all when none), formatted for display. */
export function tableData(
  data: QueryData,
  specs: ColumnSpec[],
  env: PageEnv,
  options: { name: string; link?: string; limit?: number; sql?: string },
): TableData {
  const model = sourceTable(options.sql);
  const chosen =
    specs.length > 0
      ? specs
      : data.columns
          .filter((column) => column.name !== options.link)
          .map((column): ColumnSpec => ({ id: column.name }));
  const columns = chosen.map((spec) =>
    describeColumn(spec.id, data, env, { label: spec.title, fmt: spec.fmt }, model),
  );
  const depth = routeDepth(env.route);
  const rows = data.rows.slice(0, options.limit ?? MAX_ROWS).map((row) =>
    columns.map((column, index) => {
      const raw = row[column.name];
      const cell = {
        text:
          typeof raw === "string" && column.unit === "text"
            ? valueLabel(column.name, raw, env.locale)
            : formatValue(raw, column.unit, env.locale),
        raw: typeof raw === "boolean" ? String(raw) : (raw ?? null),
        href: undefined as string | undefined,
      };
      if (index === 0 && options.link && typeof row[options.link] === "string")
        cell.href = siteHref(row[options.link] as string, depth);
      if (cell.href === undefined) delete cell.href;
      return cell;
    }),
  );
  return { columns, rows, name: options.name };
}

export function dataTable(
  props: Props,
  specs: ColumnSpec[],
  data: QueryData,
  env: PageEnv,
  sql?: string,
): DataTableNode {
  const rowsProp = Number(text(props, "rows"));
  const table = tableData(data, specs, env, {
    name: text(props, "downloadName") ?? data.name,
    link: text(props, "link"),
    limit: Number.isFinite(rowsProp) && rowsProp > 0 ? Math.min(rowsProp, MAX_ROWS) : MAX_ROWS,
    sql,
  });
  const node: DataTableNode = {
    kind: "dataTable",
    title: text(props, "title"),
    table,
    definitions: table.columns.flatMap((column) => (column.definition ? [column.definition] : [])),
  };
  if (data.rows.length === 0) {
    node.empty = data.missing
      ? ui("missingTable", env.locale, { table: data.missing })
      : ui("noData", env.locale);
  }
  return node;
}
