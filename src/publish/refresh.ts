/**
 * The whole refresh behind `huitou build`: the engine's run (sources, seeds, models, data
 * tests) with the site step wired around the warehouse's publication. Either both the
 * warehouse and the site are replaced, or neither: a failed model, a failed error-severity
 * test, a source over its reject threshold or a broken page keep yesterday's pair and fail
 * the run. (A process killed in the instant between the warehouse's rename and the site's
 * leaves the new warehouse beside the old site; the next build renders the site again.)
 */
import type { Effects } from "../engine/effects.ts";
import { type RunOutcome, type RunRequest, runProject } from "../engine/session.ts";
import { warehousePaths } from "../engine/warehouse.ts";
import type { SiteReport } from "../site/buildSite.ts";
import type { Locale } from "../site/types.ts";
import { nodeDeployFs } from "./deployFs.ts";
import type { RunInfo } from "./runInfo.ts";
import { type SiteStageOptions, siteStage } from "./siteStage.ts";

export interface RefreshRequest extends Omit<RunRequest, "invocation" | "steps" | "beforePublish"> {
  /** Where the site goes and whether it is the demo shop's; undefined builds no site. */
  site: { outDir: string; demo: boolean; locale?: Locale } | undefined;
  /** The renderer (buildSite by default), for tests. */
  render?: SiteStageOptions["render"];
}

export interface RefreshOutcome extends RunOutcome {
  /** The published site, when the run published one. */
  site: { report: SiteReport; run: RunInfo } | undefined;
}

/** Runs every stage of a build; resolves with the engine's outcome and the site it published. */
export async function refresh(request: RefreshRequest, effects: Effects): Promise<RefreshOutcome> {
  const { site: where, render, ...run } = request;
  const asOf = run.vars?.as_of;
  const stage = where
    ? siteStage({
        projectDir: run.projectDir,
        outDir: where.outDir,
        warehousePath: warehousePaths(run.projectDir).next,
        demo: where.demo,
        ...(where.locale ? { locale: where.locale } : {}),
        asOf: typeof asOf === "string" ? asOf : null,
        env: run.env ?? process.env,
        effects: {
          fs: nodeDeployFs,
          writeText: (path, text) => effects.fs.writeAtomic(path, text),
          logger: effects.logger,
          clock: effects.clock,
          pid: process.pid,
        },
        ...(render ? { render } : {}),
      })
    : undefined;
  let outcome: RunOutcome;
  try {
    outcome = await runProject(
      {
        ...run,
        invocation: "build",
        steps: { sources: true, seeds: true, models: true, tests: true },
        ...(stage ? { beforePublish: (warehouse) => stage.render(warehouse) } : {}),
      },
      effects,
    );
  } catch (error) {
    await stage?.finish(false);
    throw error;
  }
  const site = await stage?.finish(outcome.published);
  if (site) effects.logger.info(`site published: ${site.report.outDir} (${site.report.pages.length} pages)`);
  return { ...outcome, site };
}
