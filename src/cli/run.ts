/** `huitou run`: builds the models (and seeds) into the warehouse, published only on success. */
import { resolve } from "node:path";
import { runProject } from "../engine/session.ts";
import { summaryLine } from "../engine/summary.ts";
import { terminalEffects } from "../engine/terminal.ts";
import { errors, HuitouErrors } from "../errors.ts";
import { parse, parseVars } from "./args.ts";
import type { Command } from "./command.ts";

export const command: Command = {
  summary: "build the models and seeds into the warehouse (no sources, no tests)",
  usage: `huitou run [--select SEL] [--exclude SEL] [--var name=value ...] [--full-refresh] [--project DIR]

Builds the selected seeds and models into target/warehouse.next.duckdb (a copy of the
current warehouse) and swaps it in as target/warehouse.duckdb only when every model built.
Independent models build in parallel. Writes target/manifest.json and target/run_results.json.

Options:
  -s, --select SEL    models to build, dbt-style; space-separated terms are a union:
                        name   stg_*   +name (and ancestors)   name+ (and descendants)
                        2+name (two levels up)   tag:published   path:models/marts
                        source:shop+ (everything reading a source)   a,b (intersection)
      --exclude SEL   leave these out
      --var k=v       override a project variable (repeatable); numbers and true/false are cast
      --full-refresh  rebuild incremental models from scratch
      --threads N     models building at once (default 4)
      --project DIR   the project folder (default: the current folder)

Exit codes: 0 built, 1 a model failed (the previous warehouse is kept), 2 bad usage or config.`,
  async run(argv) {
    const { values } = parse(argv, {
      select: { type: "string", short: "s" },
      exclude: { type: "string" },
      var: { type: "string", multiple: true },
      "full-refresh": { type: "boolean" },
      threads: { type: "string" },
      project: { type: "string" },
    });
    const effects = terminalEffects();
    const outcome = await runProject(
      {
        projectDir: resolve(values.project ?? "."),
        invocation: "run",
        steps: { sources: false, seeds: true, models: true, tests: false },
        ...(values.select !== undefined ? { select: values.select } : {}),
        ...(values.exclude !== undefined ? { exclude: values.exclude } : {}),
        vars: parseVars(values.var),
        fullRefresh: values["full-refresh"] ?? false,
        ...(values.threads !== undefined ? { threads: threadCount(values.threads) } : {}),
      },
      effects,
    );
    effects.logger.info(summaryLine(outcome, true));
    if (outcome.failures.length > 0) throw new HuitouErrors(outcome.failures);
    return 0;
  },
};

/** `--threads N`, a whole number from 1 to 64. */
export function threadCount(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw errors.usage(`--threads expects a whole number from 1 to 64, got '${text}'`);
  }
  return n;
}
