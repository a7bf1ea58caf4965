/**
 * Which filters a piece of a page depends on: the `inputs.x` it reads directly and those of
 * the queries it names. A piece with no dependency renders once; the others once per
 * combination of their filters' options.
 */
import { type Expr, parseExpression } from "../expression.ts";
import type { Block } from "../parsePage.ts";
import type { PageQueries } from "./queries.ts";

function walk(expr: Expr, visit: (expr: Expr) => void): void {
  visit(expr);
  switch (expr.type) {
    case "member":
      walk(expr.object, visit);
      walk(expr.property, visit);
      break;
    case "call":
      walk(expr.callee, visit);
      for (const arg of expr.args) walk(arg, visit);
      break;
    case "unary":
      walk(expr.arg, visit);
      break;
    case "binary":
      walk(expr.left, visit);
      walk(expr.right, visit);
      break;
    case "conditional":
      walk(expr.test, visit);
      walk(expr.then, visit);
      walk(expr.else, visit);
      break;
    case "array":
      for (const item of expr.items) walk(item, visit);
      break;
    default:
      break;
  }
}

/** The expression sources inside blocks (props, values, conditions, loop sources). */
export function expressionsOf(blocks: Block[]): string[] {
  const out: string[] = [];
  for (const block of blocks) {
    if (block.type === "expr") out.push(block.expr);
    else if (block.type === "component") {
      for (const prop of block.props) if (prop.value.kind === "expr") out.push(prop.value.expr);
      out.push(...expressionsOf(block.children));
    } else if (block.type === "if") {
      for (const branch of block.branches) {
        if (branch.cond) out.push(branch.cond);
        out.push(...expressionsOf(branch.body));
      }
    } else if (block.type === "each") {
      out.push(block.source);
      out.push(...expressionsOf(block.body));
    }
  }
  return out;
}

/** The filter names that `blocks` depend on, sorted. */
export function inputDeps(blocks: Block[], queries: PageQueries, inputNames: Set<string>): string[] {
  const deps = new Set<string>();
  for (const source of expressionsOf(blocks)) {
    let expr: Expr;
    try {
      expr = parseExpression(source);
    } catch {
      continue; // reported with its location when the block renders
    }
    walk(expr, (node) => {
      if (node.type === "name" && queries.has(node.name))
        for (const dep of queries.inputsOf(node.name)) deps.add(dep);
      if (
        node.type === "member" &&
        node.object.type === "name" &&
        node.object.name === "inputs" &&
        node.property.type === "literal" &&
        inputNames.has(String(node.property.value))
      ) {
        deps.add(String(node.property.value));
      }
    });
  }
  return [...deps].sort();
}

/** Every combination of the options of `names` (in order). */
export function combinations(names: string[], options: Map<string, string[]>): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const name of names) {
    const values = options.get(name) ?? [];
    out = out.flatMap((combo) => values.map((value) => ({ ...combo, [name]: value })));
  }
  return out;
}

/** The key of a combination, as the page script builds it: `a=x&b=y` in the order of `names`. */
export function comboKey(names: string[], combo: Record<string, string>): string {
  return names.map((name) => `${name}=${encodeURIComponent(combo[name] ?? "")}`).join("&");
}
