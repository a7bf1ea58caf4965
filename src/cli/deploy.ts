/** `huitou deploy`: publishes the built site atomically as a new release; `--rollback` goes back one. */
import { resolve } from "node:path";
import { errors } from "../errors.ts";
import { type DeployReport, deploy, processAlive, rollback } from "../publish/deploy.ts";
import { nodeDeployFs } from "../publish/deployFs.ts";
import { parse } from "./args.ts";
import type { Command } from "./command.ts";

export const command: Command = {
  summary: "publish the built site atomically as a new release (keeps the last 5; --rollback)",
  usage: `huitou deploy [--to DIR] [--from DIR] [--keep N] [--rollback]

Copies the built site (dist/) to DIR/releases/<time>-<run id>/, then switches the link
DIR/current to it in one atomic rename: a web server serving DIR/current shows the old site
or the new one, never half of each. A failure before the switch (full disk, no permission)
removes the partial copy and leaves the live site as it was.

Options:
      --to DIR     the deploy folder (default target/deploy); point the web server at DIR/current
      --from DIR   the built site (default dist/, as written by huitou build)
      --keep N     releases to keep, the current one included (default 5)
      --rollback   point DIR/current back at the release before the current one

Exit codes: 0 deployed, 1 the target could not be written (the live site is unchanged),
2 bad usage (no built site, nothing to roll back to).`,
  async run(argv) {
    const { values } = parse(argv, {
      to: { type: "string" },
      from: { type: "string" },
      keep: { type: "string" },
      rollback: { type: "boolean" },
    });
    const targetDir = resolve(values.to ?? "target/deploy");
    const effects = {
      fs: nodeDeployFs,
      clock: { date: () => new Date() },
      pid: process.pid,
      alive: processAlive,
    };
    let report: DeployReport;
    if (values.rollback) {
      if (values.from !== undefined || values.keep !== undefined)
        throw errors.usage("--rollback takes only --to; it switches back to a release already there");
      report = await rollback({ targetDir }, effects);
    } else {
      const siteDir = resolve(values.from ?? "dist");
      report = await deploy({ siteDir, targetDir, keep: keepCount(values.keep ?? "5") }, effects);
    }
    process.stdout.write(`${describe(report, values.rollback === true)}\n`);
    return 0;
  },
};

/** `--keep N`, a whole number from 1 to 1000. */
export function keepCount(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw errors.usage(`--keep expects a whole number from 1 to 1000, got '${text}'`);
  return n;
}

function describe(report: DeployReport, rolledBack: boolean): string {
  const lines = [
    rolledBack
      ? `rolled back ${report.targetDir}/current from ${report.previous} to ${report.release}`
      : `deployed ${report.release} to ${report.targetDir}/current${report.previous ? ` (was ${report.previous})` : ""}`,
  ];
  if (report.removed.length) lines.push(`removed old releases: ${report.removed.join(", ")}`);
  return lines.join("\n");
}
