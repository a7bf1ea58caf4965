/** Argument parsing shared by the commands: node's parseArgs, with usage errors as HuitouErrors. */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { errors } from "../errors.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

export function parse<T extends Options>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw errors.usage(`${(error as Error).message}; see --help`);
  }
}

/** `--var k=v` pairs (repeatable) into an object; a value is kept as text, the project casts it. */
export function parseVars(pairs: string[] | undefined): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw errors.usage(`--var expects name=value, got '${pair}'`);
    vars[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return vars;
}
