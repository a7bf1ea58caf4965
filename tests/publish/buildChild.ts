/**
 * Test harness: `huitou build` as it runs once the site step is wired into src/cli/build.ts
 * (parse the same flags, call `refresh`, print the summary, exit 1 on failures), so the fault
 * tests can SIGKILL a real process at every stage, the site included. When build.ts calls
 * `refresh`, the fault tests can spawn src/cli/main.ts build instead of this file.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { summaryLine } from "../../src/engine/summary.ts";
import { terminalEffects } from "../../src/engine/terminal.ts";
import { formatError, HuitouError, HuitouErrors } from "../../src/errors.ts";
import { refresh } from "../../src/publish/refresh.ts";

const { values } = parseArgs({
  options: { project: { type: "string" }, data: { type: "string" }, out: { type: "string" } },
});
const projectDir = resolve(values.project ?? ".");
const effects = terminalEffects();
try {
  const outcome = await refresh(
    {
      projectDir,
      dataDir: resolve(values.data ?? "data"),
      threads: 2,
      site: { outDir: resolve(values.out ?? `${projectDir}/dist`), demo: false },
    },
    effects,
  );
  effects.logger.info(summaryLine(outcome, true));
  for (const failure of outcome.failures) process.stderr.write(`${formatError(failure)}\n`);
  process.exitCode = outcome.failures.length > 0 ? 1 : 0;
} catch (error) {
  const list =
    error instanceof HuitouErrors ? error.errors : error instanceof HuitouError ? [error] : undefined;
  if (!list) throw error;
  for (const one of list) process.stderr.write(`${formatError(one)}\n`);
  process.exitCode = list.some((one) => one.kind === "usage") ? 2 : 1;
}
