/**
 * Jinja templating with nunjucks, dbt's way: `ref`, `source`, `var`, `config`,
 * `is_incremental()`, `this`, `env_var`, `target`, `exceptions.raise_compiler_error`, and the
 * macros of `macros/*.sql` callable from every model. Rendering is synchronous, so the functions
 * are globals that dispatch to the hooks of the template being rendered; macros defined in
 * macro files see the same functions as the model that calls them.
 */
import nunjucks from "nunjucks";
import { codeFrame, errors, type HuitouError } from "../errors.ts";
import { addMarkers } from "./lineMap.ts";

/** What a template may ask of the engine while it renders. */
export interface RenderHooks {
  ref(name: string): unknown;
  source(source: string, table: string): unknown;
  /** `config(...)` keyword arguments. */
  config(values: Record<string, unknown>): void;
  isIncremental(): boolean;
  this: unknown;
}

export interface RendererOptions {
  vars: Record<string, unknown>;
  /** The environment `env_var()` reads. */
  env: Record<string, string | undefined>;
  /** Macro files: project-relative path and text. */
  macros: { file: string; source: string }[];
}

export interface Renderer {
  /** Renders `source` (the text of project-relative `file`) with line markers (see lineMap.ts). */
  render(file: string, source: string, hooks: RenderHooks): string;
}

/** A user-facing failure raised from inside a template function, with where to look for it. */
class TemplateFailure extends Error {
  readonly pattern: RegExp;
  constructor(message: string, pattern: RegExp) {
    super(message);
    this.pattern = pattern;
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const callOf = (fn: string, first?: string) =>
  new RegExp(`\\b${fn}\\s*\\(${first === undefined ? "" : `\\s*['"]${escapeRegExp(first)}['"]`}`);

/** Builds the nunjucks environment for a project (macros compiled once). */
export function createRenderer(options: RendererOptions): Renderer {
  const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false });
  let hooks: RenderHooks | undefined;
  let failure: TemplateFailure | undefined;
  const fail = (message: string, pattern: RegExp): never => {
    failure = new TemplateFailure(message, pattern);
    throw failure;
  };
  const active = (): RenderHooks =>
    hooks ?? fail("ref(), source() and config() only work inside a model", /$^/);
  const kwargs = (args: unknown[]): Record<string, unknown> => {
    const values: Record<string, unknown> = {};
    for (const arg of args) {
      if (typeof arg === "object" && arg !== null && !Array.isArray(arg)) Object.assign(values, arg);
    }
    delete values.__keywords;
    return values;
  };

  env.addGlobal("ref", (...args: unknown[]) => {
    const names = args.filter((arg): arg is string => typeof arg === "string");
    const name = names[names.length - 1];
    if (name === undefined) return fail("ref() needs a model or seed name: ref('model_name')", callOf("ref"));
    return active().ref(name);
  });
  env.addGlobal("source", (source: unknown, table: unknown) => {
    if (typeof source !== "string" || typeof table !== "string") {
      return fail("source() needs a source and a table name: source('shop', 'orders')", callOf("source"));
    }
    return active().source(source, table);
  });
  env.addGlobal("config", (...args: unknown[]) => {
    active().config(kwargs(args));
    return "";
  });
  env.addGlobal("is_incremental", () => active().isIncremental());
  env.addGlobal("var", (name: unknown, ...rest: unknown[]) => {
    const key = String(name);
    if (Object.hasOwn(options.vars, key)) return options.vars[key];
    if (rest.length > 0) return rest[0];
    return fail(
      `var('${key}') is not defined: add it under \`vars:\` in huitou_project.yml, pass --var ${key}=..., or give a default: var('${key}', ...)`,
      callOf("var", key),
    );
  });
  env.addGlobal("env_var", (name: unknown, ...rest: unknown[]) => {
    const key = String(name);
    const value = options.env[key];
    if (value !== undefined) return value;
    if (rest.length > 0) return rest[0];
    return fail(
      `env_var('${key}') is not set: set it in the environment or give a default`,
      callOf("env_var", key),
    );
  });
  env.addGlobal("exceptions", {
    raise_compiler_error: (message: unknown) => fail(String(message), callOf("raise_compiler_error")),
    warn: () => "",
  });
  env.addGlobal("log", () => "");
  env.addGlobal("target", { name: "dev", type: "duckdb", schema: "main", database: "warehouse", threads: 4 });
  env.addGlobal("this", { toString: () => String(active().this) });

  for (const macro of options.macros) {
    let exported: Record<string, unknown> = {};
    try {
      const template = new nunjucks.Template(macro.source, env, macro.file, true);
      (
        template as unknown as { getExported(ctx: object, cb: (e: unknown, v: unknown) => void): void }
      ).getExported({}, (error, value) => {
        if (error) throw error;
        exported = value as Record<string, unknown>;
      });
    } catch (error) {
      throw templateError(error, failure, macro.file, macro.source);
    }
    for (const [name, fn] of Object.entries(exported)) env.addGlobal(name, fn);
  }

  const renderOnce = (file: string, source: string, text: string, given: RenderHooks): string => {
    hooks = given;
    failure = undefined;
    try {
      return new nunjucks.Template(text, env, file, true).render({});
    } catch (error) {
      const blamed = failure as TemplateFailure | undefined;
      // Where the failure is not in the template itself (a macro file), blame the macro file.
      if (blamed && !blamed.pattern.test(source)) {
        const macro = options.macros.find((candidate) => blamed.pattern.test(candidate.source));
        if (macro) throw templateError(error, blamed, macro.file, macro.source);
      }
      throw templateError(error, blamed, file, source);
    } finally {
      hooks = undefined;
    }
  };

  return {
    render(file, source, given) {
      try {
        return renderOnce(file, source, addMarkers(source), given);
      } catch (error) {
        // Markers shift columns: the plain template fails the same way, at exact positions.
        renderOnce(file, source, source, given);
        throw error;
      }
    },
  };
}

/** A nunjucks error (or a TemplateFailure) as a HuitouError at its template position. */
function templateError(
  error: unknown,
  failure: TemplateFailure | undefined,
  file: string,
  source: string,
): HuitouError {
  if (failure) {
    const at = findPattern(source, failure.pattern);
    return errors.template(
      failure.message,
      { file, ...at },
      at ? codeFrame(source, at.line, at.column) : undefined,
    );
  }
  const text = error instanceof Error ? error.message : String(error);
  const position = /\[Line (\d+), Column (\d+)\]/.exec(text);
  const message = text
    .replace(/^\([^)]*\)\s*(\[Line \d+, Column \d+\])?\s*/, "")
    .replace(/^\s*(Template render error:\s*)?(Error: )?/, "")
    .replace(
      /Unable to call `([^`]+)`, which is undefined or falsey/,
      "`$1` is not defined: check the spelling, or define the macro in macros/*.sql",
    )
    .trim();
  let at: { line: number; column: number } | undefined;
  if (position) at = { line: Number(position[1]), column: Number(position[2]) };
  else {
    const name = /`([^`]+)`|filter not found: (\w+)/.exec(message);
    if (name) at = findPattern(source, new RegExp(`\\b${escapeRegExp((name[1] ?? name[2]) as string)}\\b`));
  }
  return errors.template(
    `${message}; fix the template`,
    { file, ...at },
    at ? codeFrame(source, at.line, at.column) : undefined,
  );
}

/** The 1-based line and column of the first match of `pattern` in `source`. */
export function findPattern(source: string, pattern: RegExp): { line: number; column: number } | undefined {
  const match = pattern.exec(source);
  if (!match) return undefined;
  const before = source.slice(0, match.index);
  const line = before.split("\n").length;
  return { line, column: match.index - before.lastIndexOf("\n") };
}
