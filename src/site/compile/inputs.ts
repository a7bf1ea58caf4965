/**
 * Filters without a server: Evidence's Dropdown, ButtonGroup and DateRange. Each has a finite
 * list of options (a dropdown's from its query, a date range's from presets ending at as_of),
 * the build renders every block that depends on a filter once per option, and the page
 * script shows the rendering that matches the selection (kept in the URL for deep links).
 */

import { ui } from "../i18n.ts";
import type { Block } from "../parsePage.ts";
import type { InputNode, InputOption } from "../types.ts";
import { resolveProps, text } from "./props.ts";
import type { PageQueries } from "./queries.ts";
import { pageError, type Scope } from "./scope.ts";

export interface InputDef {
  node: InputNode;
  /** The value seen by `${inputs.x.value}` and `{inputs.x.start}` for each option. */
  values: Map<string, Record<string, string>>;
}

const CONTROLS = new Set(["Dropdown", "ButtonGroup", "DateRange"]);

/** Whether a component is a filter control. */
export function isInput(name: string): boolean {
  return CONTROLS.has(name);
}

type ComponentBlock = Extract<Block, { type: "component" }>;

/** The date-range presets (months are whole calendar months ending with as_of's month). */
export function dateRanges(
  asOf: string,
  locale: Scope["env"]["locale"],
): { value: string; label: string; start: string; end: string }[] {
  const [year, month] = asOf.split("-").map(Number) as [number, number];
  const monthsBack = (n: number) => {
    const index = year * 12 + (month - 1) - (n - 1);
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}-01`;
  };
  return [
    { value: "6m", label: ui("last6", locale), start: monthsBack(6), end: asOf },
    { value: "12m", label: ui("last12", locale), start: monthsBack(12), end: asOf },
    { value: "24m", label: ui("last24", locale), start: monthsBack(24), end: asOf },
    { value: "ytd", label: ui("ytd", locale), start: `${year}-01-01`, end: asOf },
    { value: "all", label: ui("allTime", locale), start: "1900-01-01", end: asOf },
  ];
}

/** Reads one filter control: its options and their values. */
export async function defineInput(
  block: ComponentBlock,
  scope: Scope,
  queries: PageQueries,
): Promise<InputDef> {
  const props = resolveProps(block, scope);
  const name = text(props, "name");
  if (!name || !/^[A-Za-z_][\w]*$/.test(name))
    throw pageError(scope.env, `<${block.name}> needs name=identifier`, block);
  const label = text(props, "title") ?? name;
  const options: InputOption[] = [];
  const values = new Map<string, Record<string, string>>();
  const add = (value: string, optionLabel: string, extra: Record<string, string> = {}) => {
    if (values.has(value)) return;
    options.push({ value, label: optionLabel });
    values.set(value, { value, label: optionLabel, ...extra });
  };
  if (block.name === "DateRange") {
    for (const range of dateRanges(scope.env.asOf, scope.env.locale)) {
      add(range.value, range.label, { start: range.start, end: range.end });
    }
  } else {
    for (const child of block.children) {
      if (child.type !== "component") continue;
      if (child.name !== "DropdownOption" && child.name !== "ButtonGroupItem") continue;
      const option = resolveProps(child, scope);
      const value = text(option, "value") ?? "";
      add(value, text(option, "valueLabel") ?? text(option, "label") ?? value);
    }
    const dataName = block.props.find((prop) => prop.name === "data");
    if (dataName?.value.kind === "expr") {
      const queryName = dataName.value.expr;
      if (!queries.has(queryName))
        throw pageError(
          scope.env,
          `<${block.name}> data={${queryName}}: no query of that name on this page`,
          block,
        );
      if (queries.inputsOf(queryName).size > 0)
        throw pageError(scope.env, `the options of <${block.name}> cannot depend on a filter`, block);
      const data = await queries.get(queryName, scope.vars);
      const valueColumn = text(props, "value") ?? data.columns[0]?.name ?? "";
      const labelColumn = text(props, "label") ?? valueColumn;
      for (const row of data.rows) {
        if (row[valueColumn] === null || row[valueColumn] === undefined) continue;
        add(String(row[valueColumn]), String(row[labelColumn] ?? row[valueColumn]));
      }
    }
  }
  if (options.length === 0) throw pageError(scope.env, `<${block.name} name=${name}> has no options`, block);
  const wanted = text(props, "defaultValue");
  const defaultValue =
    wanted !== undefined && values.has(wanted)
      ? wanted
      : block.name === "DateRange"
        ? "all"
        : options[0]!.value;
  return {
    node: {
      kind: "input",
      control: block.name === "ButtonGroup" ? "buttons" : "select",
      name,
      label,
      options,
      defaultValue,
    },
    values,
  };
}
