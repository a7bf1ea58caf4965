/**
 * `huitou dev`: a local preview of the dashboard that rebuilds what an edit affects (the
 * edited model or seed and its descendants, the pages that read them, an edited page) and
 * reloads the browser. Rebuilds run one at a time; edits made meanwhile form the next batch.
 */
import { join, resolve } from "node:path";
import { terminalEffects } from "../engine/terminal.ts";
import { errors, formatError } from "../errors.ts";
import { startDevServer } from "../publish/devServer.ts";
import { type DevReport, startDev } from "../publish/devSession.ts";
import { watchProject } from "../publish/watch.ts";
import { parse, parseVars } from "./args.ts";
import type { Command } from "./command.ts";

export const command: Command = {
  summary: "local preview server; rebuilds the affected models and pages on every edit",
  usage: `huitou dev [--port N] [--host HOST] [--data DIR] [--var name=value ...] [--project DIR]

Serves the dashboard on http://127.0.0.1:3000/ from target/dev-site/ (the built site in dist/
is never touched) and watches models/, seeds/, sources/, macros/, pages/ and the project file.
An edit rebuilds only what depends on it: an edited model or seed and its descendants (as
\`huitou run --select name+\`), then the pages whose queries read a rebuilt table; an edited page
is compiled again alone. Open pages reload by themselves, or show why a rebuild failed.

Uses the warehouse of the last build (target/warehouse.duckdb); without one it builds the
models first, loading the sources from --data DIR when given. Data tests do not run in dev:
\`huitou build\` runs them.

Options:
      --port N       the port (default 3000)
      --host HOST    the address to listen on (default 127.0.0.1: this machine only)
      --data DIR     the shop's files, when the sources must be loaded
      --var k=v      override a project variable (repeatable)
      --project DIR  the project folder (default: the current folder)

Stop it with Ctrl-C.`,
  async run(argv) {
    const { values } = parse(argv, {
      port: { type: "string" },
      host: { type: "string" },
      data: { type: "string" },
      var: { type: "string", multiple: true },
      project: { type: "string" },
    });
    const port = Number(values.port ?? "3000");
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw errors.usage(`--port expects a port number, got '${values.port}'`);
    const host = values.host ?? "127.0.0.1";
    const projectDir = resolve(values.project ?? ".");
    const outDir = join(projectDir, "target", "dev-site");
    const effects = terminalEffects();
    const log = (line: string) => effects.logger.info(line);
    const session = await startDev(
      {
        projectDir,
        outDir,
        vars: parseVars(values.var),
        ...(values.data !== undefined ? { dataDir: resolve(values.data) } : {}),
      },
      effects,
    );
    describe(session.initial, log);
    const server = await startDevServer({ dir: outDir, host, port }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") throw errors.usage(`port ${port} is in use: pass --port with another`);
      throw error;
    });
    log(`huitou dev: ${server.url} (watching for edits; Ctrl-C stops)`);

    let running = Promise.resolve();
    let queued: string[] = [];
    const watcher = watchProject(projectDir, (paths) => {
      queued.push(...paths);
      running = running.then(async () => {
        if (queued.length === 0) return;
        const batch = queued;
        queued = [];
        const report = await session.change(batch);
        describe(report, log);
        if (report.failures.length) server.failure(report.failures.map(formatError).join("\n\n"));
        else if (report.rendered.length) server.reload();
      });
    });
    await new Promise<void>((done) => process.once("SIGINT", () => done()));
    watcher.close();
    await running;
    await server.close();
    return 0;
  },
};

/** One or two lines on what a step rebuilt, or its errors. */
function describe(report: DevReport, log: (line: string) => void): void {
  const edited = report.changed.filter((path) => !report.ignored.includes(path));
  if (report.changed.length > 0 && edited.length === 0) return;
  const head = edited.length ? `${edited.join(", ")} changed: ` : "";
  if (report.failures.length) {
    for (const failure of report.failures) log(formatError(failure));
    log(`${head}rebuild failed; the preview keeps the last good pages`);
    return;
  }
  const built = [...report.sources, ...report.seeds, ...report.models];
  log(
    `${head}rebuilt ${built.length ? built.join(", ") : "no model"}; pages ${report.pages.length ? report.pages.join(" ") : "none"}`,
  );
}
