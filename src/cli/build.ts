/**
 * `huitou build`: the whole refresh up to the warehouse: load sources, seeds, models, data
 * tests, then (later) the site; the warehouse is published only when all of it succeeded.
 */
import { join, resolve } from "node:path";
import { checkAsOf, chooseData } from "../engine/dataChoice.ts";
import { type Logger, nodeFileSystem } from "../engine/effects.ts";
import { summaryLine } from "../engine/summary.ts";
import { terminalEffects } from "../engine/terminal.ts";
import { errors, HuitouErrors } from "../errors.ts";
import { readSources } from "../ingest/readSources.ts";
import { refresh } from "../publish/refresh.ts";
import { parse, parseVars } from "./args.ts";
import type { Command } from "./command.ts";
import { threadCount } from "./run.ts";

/** The demo shop `--demo` builds: the same as `huitou demo` writes by default. */
const DEMO = { customers: 20000, seed: 42, format: "csv" } as const;

export const command: Command = {
  summary: "the whole refresh: load sources, seeds, models, data tests (then the site)",
  usage: `huitou build [--data DIR | --demo] [--out DIR] [--locale zh|en] [--as-of YYYY-MM-DD] [--var name=value ...] [--full-refresh] [--project DIR]

Loads the sources into raw.*, then seeds, models and data tests, into
target/warehouse.next.duckdb; swaps it in as target/warehouse.duckdb only when every model
built and every error-severity test passed. Otherwise the previous warehouse stays and the
exit code is 1.

Options:
      --data DIR      the shop's files, one per table (orders.csv, customers.parquet, ...)
      --demo          build the synthetic demo shop instead (written to target/demo-data/)
      --out DIR       where the site goes (default dist/)
      --locale zh|en  the site's language (default zh: Chinese; en: English)
      --as-of DATE    analyse as if the data ended on this day (sets the variable as_of)
      --var k=v       override a project variable (repeatable), e.g. --var churn_days=120
      --threads N     models building at once (default 4)
      --full-refresh  reload every source file and rebuild incremental models from scratch
      --project DIR   the project folder (default: the current folder)

Without --data, --demo or file paths declared in sources/*.yml, build makes the demo only on
an interactive terminal; elsewhere (CI) it exits 2: "no data sources configured".

Exit codes: 0 built, 1 a load, model or error-severity test failed, 2 bad usage or config.`,
  async run(argv) {
    const { values } = parse(argv, {
      data: { type: "string" },
      demo: { type: "boolean" },
      out: { type: "string" },
      locale: { type: "string" },
      "as-of": { type: "string" },
      var: { type: "string", multiple: true },
      threads: { type: "string" },
      "full-refresh": { type: "boolean" },
      project: { type: "string" },
    });
    const projectDir = resolve(values.project ?? ".");
    const vars = parseVars(values.var);
    if (values["as-of"] !== undefined) vars.as_of = checkAsOf(values["as-of"]);
    const effects = terminalEffects();
    const choice = chooseData({
      data: values.data === undefined ? undefined : resolve(values.data),
      demo: values.demo ?? false,
      tables: await readSources(projectDir),
      interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
    });
    let dataDir: string | undefined;
    if (choice.kind === "data") {
      if (!(await nodeFileSystem.exists(choice.dir)))
        throw errors.usage(`--data ${values.data}: no such folder`);
      dataDir = choice.dir;
    } else if (choice.kind === "demo") {
      if (!choice.asked)
        effects.logger.info("No data given: building the synthetic demo shop (pass --data DIR for yours).");
      dataDir = join(projectDir, "target", "demo-data");
      await generate(dataDir, effects.logger);
    }
    const locale = values.locale ?? "zh";
    if (locale !== "zh" && locale !== "en") throw errors.usage(`--locale must be zh or en, got '${locale}'`);
    const site = {
      outDir: resolve(values.out ?? join(projectDir, "dist")),
      demo: choice.kind === "demo",
      locale: locale as "zh" | "en",
    };
    const outcome = await refresh(
      {
        projectDir,
        vars,
        site,
        ...(dataDir ? { dataDir } : {}),
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

async function generate(outDir: string, logger: Logger): Promise<void> {
  // Imported late: only --demo needs the generator.
  const { generateDemo } = await import("../demo/generateDemo.ts");
  await generateDemo({ outDir, ...DEMO, onProgress: (message: string) => logger.progress(message) });
  logger.info(`demo shop written to ${outDir} (${DEMO.customers} customers, seed ${DEMO.seed})`);
}
