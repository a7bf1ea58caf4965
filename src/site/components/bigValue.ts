/**
 * Evidence's BigValue: a KPI tile with the value of the first row, an optional comparison
 * (`comparison=col`, shown with its sign and coloured good or bad, `downIsGood` for churn),
 * an optional sparkline over all rows (`sparkline=date_col`), and Evidence's `description`
 * (the definition behind the tile's "?", for a computed column the glossary does not know).
 * Our addition: `note` is a line under the value, e.g. why it is missing.
 */

import { toDate } from "../charts/scales.ts";
import { sparkline } from "../charts/sparkline.ts";
import { legendSvg } from "../charts/svg.ts";
import { describeColumn, sourceTable } from "../compile/columns.ts";
import { flag, type Props, text } from "../compile/props.ts";
import type { PageEnv, QueryData } from "../compile/scope.ts";
import { formatValue } from "../format.ts";
import { ui } from "../i18n.ts";
import type { BigValueNode } from "../types.ts";

export function bigValue(props: Props, data: QueryData, env: PageEnv, sql?: string): BigValueNode {
  const valueColumn = text(props, "value") ?? data.columns[0]?.name ?? "";
  const model = sourceTable(sql);
  const column = describeColumn(
    valueColumn,
    data,
    env,
    { label: text(props, "title"), fmt: text(props, "fmt") },
    model,
  );
  const description = text(props, "description");
  const node: BigValueNode = {
    kind: "bigValue",
    title: column.label,
    value: "—",
    definition: description ? { term: column.label, text: description } : column.definition,
  };
  const note = text(props, "note");
  if (note) node.empty = note;
  const row = data.rows[0];
  if (!row) {
    node.empty ??= data.missing
      ? ui("missingTable", env.locale, { table: data.missing })
      : ui("noData", env.locale);
    return node;
  }
  node.value = formatValue(row[valueColumn], column.unit, env.locale, { compact: true });
  const comparisonColumn = text(props, "comparison");
  if (comparisonColumn) {
    const delta = row[comparisonColumn];
    const unit = describeColumn(
      comparisonColumn,
      data,
      env,
      { fmt: text(props, "comparisonFmt") },
      model,
    ).unit;
    const number = typeof delta === "number" ? delta : null;
    const downIsGood = flag(props, "downIsGood");
    const tone = number === null || number === 0 ? "neutral" : number > 0 !== downIsGood ? "good" : "bad";
    node.comparison = {
      text: formatValue(delta, unit, env.locale, { compact: true, signed: true }),
      label: text(props, "comparisonTitle") ?? ui("vsPrevious", env.locale),
      tone,
    };
  }
  const sparkColumn = text(props, "sparkline");
  if (sparkColumn && data.rows.length > 1) {
    const points = data.rows
      .map((r) => ({
        x: toDate(r[sparkColumn]),
        y: typeof r[valueColumn] === "number" ? (r[valueColumn] as number) : null,
        series: "",
      }))
      .sort((a, b) => Number(a.x) - Number(b.x));
    node.sparkline = legendSvg(sparkline(points)).replace('class="legend-ramp"', 'class="sparkline"');
  }
  return node;
}
