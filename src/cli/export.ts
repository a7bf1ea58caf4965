/** `huitou export`: writes every published mart to a folder as Parquet or CSV. */
import { resolve } from "node:path";
import { openDuckDB } from "../engine/adapters/duckdb.ts";
import { exportMarts } from "../engine/exportMarts.ts";
import { terminalEffects } from "../engine/terminal.ts";
import { errors } from "../errors.ts";
import { parse, parseVars } from "./args.ts";
import type { Command } from "./command.ts";

export const command: Command = {
  summary: "write every published mart to a folder (Parquet or CSV)",
  usage: `huitou export [--format parquet|csv] [--out DIR] [--project DIR]

Copies every published mart (the models tagged \`published\`) out of target/warehouse.duckdb,
one file per mart named after it (retention_cohorts.parquet, ...).

Options:
      --format F      parquet (default, zstd-compressed) or csv (with a header line)
      --out DIR       the folder to write (default target/export)
      --var k=v       a project variable, for models whose config depends on one (repeatable)
      --project DIR   the project folder (default: the current folder)

Exit codes: 0 written, 1 a copy failed, 2 bad usage or no warehouse yet.`,
  async run(argv) {
    const { values } = parse(argv, {
      format: { type: "string", short: "f" },
      out: { type: "string", short: "o" },
      var: { type: "string", multiple: true },
      project: { type: "string" },
    });
    const format = values.format ?? "parquet";
    if (format !== "parquet" && format !== "csv") {
      throw errors.usage(`--format must be parquet or csv, got '${format}'`);
    }
    const projectDir = resolve(values.project ?? ".");
    const effects = terminalEffects();
    const files = await exportMarts(
      {
        projectDir,
        outDir: resolve(values.out ?? `${projectDir}/target/export`),
        format,
        vars: parseVars(values.var),
        open: openDuckDB,
      },
      effects,
    );
    effects.logger.info(`Exported ${files.length} published ${files.length === 1 ? "mart" : "marts"}.`);
    return 0;
  },
};
