/**
 * Component props as written in a page, evaluated: `name="text"`, `name=bare`, `name={expr}`,
 * a bare flag (true). `title_en="..."` replaces `title` in an English build, so one page file
 * serves both locales.
 */
import type { Block, Prop } from "../parsePage.ts";
import { evalAt, type Scope } from "./scope.ts";

export type Props = Record<string, unknown>;

type ComponentBlock = Extract<Block, { type: "component" }>;

/** Evaluates every prop of a component in the scope. */
export function resolveProps(block: ComponentBlock, scope: Scope): Props {
  const props: Props = {};
  const english: Props = {};
  for (const prop of block.props) {
    const value = propValue(prop, block, scope);
    if (prop.name.endsWith("_en")) english[prop.name.slice(0, -3)] = value;
    else if (prop.name.endsWith("_zh")) {
      if (scope.env.locale === "zh") props[prop.name.slice(0, -3)] = value;
    } else props[prop.name] = value;
  }
  return scope.env.locale === "en" ? { ...props, ...english } : props;
}

function propValue(prop: Prop, block: ComponentBlock, scope: Scope): unknown {
  switch (prop.value.kind) {
    case "flag":
      return true;
    case "string":
      return prop.value.text === "true" ? true : prop.value.text === "false" ? false : prop.value.text;
    case "expr":
      return evalAt(scope, prop.value.expr, block);
  }
}

/** A prop as text, or undefined. */
export function text(props: Props, name: string): string | undefined {
  const value = props[name];
  return value === undefined || value === null || value === "" ? undefined : String(value);
}

/** A prop as a list of column names (`y=a` or `y={['a', 'b']}`). */
export function list(props: Props, name: string): string[] {
  const value = props[name];
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string" && value) return value.split(",").map((part) => part.trim());
  return [];
}

/** A prop as a boolean (`flag`, `flag=true`, `flag={cond}`). */
export function flag(props: Props, name: string): boolean {
  const value = props[name];
  return value === true || value === "true";
}
