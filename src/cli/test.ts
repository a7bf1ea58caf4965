/** `huitou test`: runs the data tests against the built warehouse (read-only). */
import { resolve } from "node:path";
import { runProject } from "../engine/session.ts";
import { summaryLine } from "../engine/summary.ts";
import { terminalEffects } from "../engine/terminal.ts";
import { HuitouErrors } from "../errors.ts";
import { parse, parseVars } from "./args.ts";
import type { Command } from "./command.ts";
import { threadCount } from "./run.ts";

export const command: Command = {
  summary: "run the data tests against the warehouse",
  usage: `huitou test [--select SEL] [--exclude SEL] [--var name=value ...] [--project DIR]

Runs the data tests of the project against target/warehouse.duckdb, read-only: generic tests
from the YAML beside models, seeds and sources (unique, not_null, accepted_values,
relationships, expression_is_true, unique_combination_of_columns, accepted_range) and
singular tests (tests/**/*.sql, failing when they return rows). A failing test prints its
first 5 failing rows and the YAML file and line that declares it.

Options:
  -s, --select SEL    tests of the selected nodes, or tests by name (same syntax as huitou run)
      --exclude SEL   leave these out
      --var k=v       override a project variable (repeatable)
      --threads N     tests running at once (default 4)
      --project DIR   the project folder (default: the current folder)

Exit codes: 0 all error-severity tests pass (warnings allowed), 1 a test failed or could not
run, 2 bad usage or config, or no warehouse yet.`,
  async run(argv) {
    const { values } = parse(argv, {
      select: { type: "string", short: "s" },
      exclude: { type: "string" },
      var: { type: "string", multiple: true },
      threads: { type: "string" },
      project: { type: "string" },
    });
    const effects = terminalEffects();
    const outcome = await runProject(
      {
        projectDir: resolve(values.project ?? "."),
        invocation: "test",
        steps: { sources: false, seeds: false, models: false, tests: true },
        ...(values.select !== undefined ? { select: values.select } : {}),
        ...(values.exclude !== undefined ? { exclude: values.exclude } : {}),
        vars: parseVars(values.var),
        ...(values.threads !== undefined ? { threads: threadCount(values.threads) } : {}),
      },
      effects,
    );
    effects.logger.info(summaryLine(outcome, false));
    if (outcome.failures.length > 0) throw new HuitouErrors(outcome.failures);
    return 0;
  },
};
