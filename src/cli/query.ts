/** `huitou query`: read-only SQL against the built warehouse, printed as json, csv or a table. */
import { resolve } from "node:path";
import { openDuckDB } from "../engine/adapters/duckdb.ts";
import { nodeFileSystem } from "../engine/effects.ts";
import { type Format, formatResult } from "../engine/format.ts";
import { parseDatabaseError } from "../engine/sqlError.ts";
import { openPublished, warehousePaths } from "../engine/warehouse.ts";
import { codeFrame, errors } from "../errors.ts";
import { parse } from "./args.ts";
import type { Command } from "./command.ts";

const FORMATS: Format[] = ["json", "csv", "table"];

export const command: Command = {
  summary: "run read-only SQL against the warehouse and print the result",
  usage: `huitou query "SQL" [--format json|csv|table] [--project DIR]

Runs SQL against target/warehouse.duckdb opened read-only (marts are queryable by bare name:
select * from retention_cohorts) and prints the rows.

  --format json    an array of row objects: dates YYYY-MM-DD, timestamps YYYY-MM-DD HH:MM:SS,
                   numbers (integers, decimals, doubles) as JSON numbers, booleans, null
  --format csv     a header line and RFC 4180 rows (null as an empty field)
  --format table   aligned columns for reading (the default)
  --project DIR    the project folder (default: the current folder)

Exit codes: 0 printed, 1 the SQL failed, 2 bad usage or no warehouse yet.`,
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      { format: { type: "string", short: "f" }, project: { type: "string" } },
      true,
    );
    const format = (values.format ?? "table") as Format;
    if (!FORMATS.includes(format))
      throw errors.usage(`--format must be json, csv or table, got '${values.format}'`);
    if (positionals.length !== 1 || positionals[0]?.trim() === "") {
      throw errors.usage('huitou query takes one SQL string: huitou query "select 1 as x"');
    }
    const sql = positionals[0] as string;
    const paths = warehousePaths(resolve(values.project ?? "."));
    const adapter = await openPublished(paths, nodeFileSystem, openDuckDB);
    try {
      const result = await adapter.query(sql).catch((error: unknown) => {
        const { message, position } = parseDatabaseError(
          error instanceof Error ? error.message : String(error),
          sql,
        );
        const location = {
          file: "<query>",
          ...(position ? { line: position.line, column: position.column } : {}),
        };
        throw errors.sql(
          message,
          location,
          position ? codeFrame(sql, position.line, position.column) : undefined,
        );
      });
      process.stdout.write(formatResult(result, format));
    } finally {
      await adapter.close();
    }
    return 0;
  },
};
