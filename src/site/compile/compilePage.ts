/**
 * Compiles one parsed page into its render nodes: runs its queries (read-only), defines its
 * filters, and renders each top-level piece once, or once per combination of the filters it
 * depends on (a VariantsNode the page script switches between).
 */
import type { Block, ParsedPage } from "../parsePage.ts";
import type { CompiledPage, RenderNode } from "../types.ts";
import { combinations, comboKey, inputDeps } from "./deps.ts";
import { defineInput, type InputDef, isInput } from "./inputs.ts";
import { PageQueries, type RunSql } from "./queries.ts";
import { isInline, renderBlocks } from "./renderBlocks.ts";
import { evalAt, type PageEnv, pageError, pageFunctions, type QueryData, type Scope } from "./scope.ts";

/** Variants one piece may have (product of its filters' options), to keep pages light. */
export const MAX_VARIANTS = 60;

export interface CompileOptions {
  params?: Record<string, string>;
}

/** The page title in the locale; `{expressions}` in it read the page's data (template pages). */
function title(frontmatter: Record<string, unknown>, scope: Scope): string {
  const localized = scope.env.locale === "en" ? frontmatter.title_en : frontmatter.title_zh;
  const value = localized ?? frontmatter.title;
  if (typeof value !== "string") return scope.env.route;
  return value.replace(/\{([^}]+)\}/g, (_, expr: string) => {
    const result = evalAt(scope, expr, { line: 2 });
    return result === null || result === undefined ? "—" : String(result);
  });
}

/** Groups top-level blocks into pieces: a run of prose, or one block. */
function pieces(blocks: Block[]): Block[][] {
  const out: Block[][] = [];
  let run: Block[] = [];
  for (const block of blocks) {
    if (isInline(block)) run.push(block);
    else {
      if (run.length) out.push(run);
      run = [];
      out.push([block]);
    }
  }
  if (run.length) out.push(run);
  return out;
}

function collectInputBlocks(blocks: Block[]): Extract<Block, { type: "component" }>[] {
  const out: Extract<Block, { type: "component" }>[] = [];
  for (const block of blocks) {
    if (block.type !== "component") continue;
    if (isInput(block.name)) out.push(block);
    else out.push(...collectInputBlocks(block.children));
  }
  return out;
}

export async function compilePage(
  parsed: ParsedPage,
  env: PageEnv,
  run: RunSql,
  options: CompileOptions = {},
): Promise<CompiledPage> {
  const optional = Array.isArray(parsed.frontmatter.optional_tables)
    ? parsed.frontmatter.optional_tables.map(String)
    : [];
  const queries = new PageQueries(parsed.queries, env, run, optional);
  const params = options.params ?? {};
  const base: Record<string, unknown> = {
    ...pageFunctions(env.locale),
    params,
    locale: env.locale,
    // Only a page that names `asOf` can read it (no expression reaches the variables but by
    // name), and reading env.asOf tells the page cache this page changes when as_of does.
    ...(env.source.includes("asOf") ? { asOf: env.asOf } : {}),
    inputs: {},
  };

  const scopeFor = async (combo: Record<string, Record<string, string>>): Promise<Scope> => {
    const vars: Record<string, unknown> = { ...base, inputs: combo };
    const data = new Map<string, QueryData>();
    for (const name of queries.names()) {
      const result = await queries.get(name, vars);
      data.set(name, result);
      vars[name] = result.rows;
    }
    return { env, vars, data };
  };

  // Filters first: their options may come from queries that depend on no filter.
  const inputs = new Map<string, InputDef>();
  const optionScope: Scope = { env, vars: { ...base }, data: new Map() };
  for (const name of queries.names()) {
    if (queries.inputsOf(name).size > 0) continue;
    const result = await queries.get(name, base);
    optionScope.data.set(name, result);
    optionScope.vars[name] = result.rows;
  }
  for (const block of collectInputBlocks(parsed.body)) {
    const def = await defineInput(block, optionScope, queries);
    if (inputs.has(def.node.name))
      throw pageError(env, `two filters are named '${def.node.name}': rename one`, block);
    inputs.set(def.node.name, def);
  }
  const defaults: Record<string, Record<string, string>> = {};
  for (const [name, def] of inputs) defaults[name] = def.values.get(def.node.defaultValue)!;
  const optionValues = new Map(
    [...inputs].map(([name, def]) => [name, def.node.options.map((option) => option.value)]),
  );
  const scopes = new Map<string, Promise<Scope>>();
  const scopeOf = (combo: Record<string, string>) => {
    const key = comboKey([...inputs.keys()], {
      ...Object.fromEntries([...inputs].map(([n, d]) => [n, d.node.defaultValue])),
      ...combo,
    });
    let scope = scopes.get(key);
    if (!scope) {
      const values = { ...defaults };
      for (const [name, value] of Object.entries(combo)) values[name] = inputs.get(name)!.values.get(value)!;
      scope = scopeFor(values);
      scopes.set(key, scope);
    }
    return scope;
  };

  const ctx = { inputs, sqlOf: (name: string) => queries.sqlOf(name) };
  const nodes: RenderNode[] = [];
  for (const piece of pieces(parsed.body)) {
    const deps = inputDeps(piece, queries, new Set(inputs.keys()));
    if (deps.length === 0) {
      nodes.push(...renderBlocks(piece, await scopeOf({}), ctx));
      continue;
    }
    const combos = combinations(deps, optionValues);
    if (combos.length > MAX_VARIANTS) {
      const at = piece[0]!;
      throw pageError(
        env,
        `this part depends on filters ${deps.join(", ")} with ${combos.length} combinations (at most ${MAX_VARIANTS}): use fewer options or fewer filters`,
        at,
      );
    }
    const variants = [];
    for (const combo of combos)
      variants.push({ key: comboKey(deps, combo), nodes: renderBlocks(piece, await scopeOf(combo), ctx) });
    const defaultKey = comboKey(
      deps,
      Object.fromEntries(deps.map((name) => [name, inputs.get(name)!.node.defaultValue])),
    );
    nodes.push({ kind: "variants", inputs: deps, variants, defaultKey });
  }
  const description = parsed.frontmatter[env.locale === "en" ? "description_en" : "description"];
  return {
    route: env.route,
    title: title(parsed.frontmatter, await scopeOf({})),
    description: typeof description === "string" ? description : undefined,
    file: env.file,
    nodes,
    hasInputs: inputs.size > 0,
  };
}
