/**
 * `huitou`: dispatches to one file per command (src/cli/<name>.ts), loaded lazily so a quick
 * `huitou query` does not pay for the site builder. Errors from commands are printed here,
 * once, and mapped to the exit codes of the CLI contract: 1 a failed run, 2 bad usage.
 */
import { formatError, HuitouError, HuitouErrors } from "../errors.ts";
import type { Command } from "./command.ts";

const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  demo: () => import("./demo.ts"),
  build: () => import("./build.ts"),
  run: () => import("./run.ts"),
  test: () => import("./test.ts"),
  query: () => import("./query.ts"),
  export: () => import("./export.ts"),
  dev: () => import("./dev.ts"),
  deploy: () => import("./deploy.ts"),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(await overview());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    process.stdout.write(`${await version()}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`error[usage] unknown command '${name}'; run \`huitou --help\` for the list\n`);
    return 2;
  }
  const { command } = await load();
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${command.usage.trimEnd()}\n`);
    return 0;
  }
  return command.run(rest);
}

async function overview(): Promise<string> {
  const lines = ["huitou: retention analytics as code (DuckDB models, a static dashboard)", "", "Commands:"];
  for (const [name, load] of Object.entries(COMMANDS)) {
    const { command } = await load();
    lines.push(`  ${name.padEnd(8)} ${command.summary}`);
  }
  lines.push("", "Run `huitou <command> --help` for its options.", "");
  return lines.join("\n");
}

async function version(): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8"));
  return String(pkg.version);
}

/** Prints a user-facing error and returns its exit code; anything else is a bug and rethrows. */
export function reportError(error: unknown): number {
  if (error instanceof HuitouErrors) {
    for (const one of error.errors) process.stderr.write(`${formatError(one)}\n`);
    return error.kind === "usage" ? 2 : 1;
  }
  if (error instanceof HuitouError) {
    process.stderr.write(`${formatError(error)}\n`);
    return error.kind === "usage" ? 2 : 1;
  }
  throw error;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportError(error);
  },
);
