/**
 * The site step of `huitou build`, split in two around the warehouse's publication so the
 * pair stays consistent: `render` runs as the engine's `beforePublish` (models built, tests
 * passed) and renders the dashboard from the next warehouse into `<out>.staged`; `finish`
 * runs after the engine has decided, and swaps the staged site in only when the warehouse was
 * published. A failing page fails the build before the warehouse is published, and a killed
 * build leaves the published site and warehouse as they were (see tests/publish/faults.test.ts).
 */
import { join } from "node:path";
import type { Adapter } from "../engine/adapters/adapter.ts";
import type { Clock, Logger } from "../engine/effects.ts";
import type { BuildSiteOptions, SiteReport } from "../site/buildSite.ts";
import type { Locale } from "../site/types.ts";
import type { DeployFs } from "./deployFs.ts";
import { writingTo } from "./fileErrors.ts";
import { RUN_INFO_FILE, type RunInfo, runIdentity, warehouseAsOf } from "./runInfo.ts";
import { recoverSite, stagedDir, swapSite } from "./siteSwap.ts";

export interface SiteStageOptions {
  projectDir: string;
  /** The published site folder (dist/ by default). */
  outDir: string;
  /** The warehouse being built (target/warehouse.next.duckdb): its folder holds the run's artifacts. */
  warehousePath: string;
  demo: boolean;
  /** The site's language: Chinese (default) or English. */
  locale?: Locale;
  /** `as_of` as configured, used when the warehouse has no `int_as_of` to ask. */
  asOf?: string | null;
  env: Record<string, string | undefined>;
  effects: {
    fs: Pick<DeployFs, "exists" | "list" | "rename" | "remove" | "mkdir">;
    writeText(path: string, text: string): Promise<void>;
    logger: Logger;
    clock: Clock;
    pid: number;
  };
  /** The renderer; buildSite unless a test passes another. */
  render?: (options: BuildSiteOptions) => Promise<SiteReport>;
}

export interface SiteStage {
  /** For the engine's `beforePublish`: renders the site from the next warehouse, staged. */
  render(warehouse: Adapter): Promise<void>;
  /** After the run: swaps the staged site in when `published`, else discards it. */
  finish(published: boolean): Promise<{ report: SiteReport; run: RunInfo } | undefined>;
}

/** The two halves of the site step for one build. */
export function siteStage(options: SiteStageOptions): SiteStage {
  const { outDir, effects } = options;
  const { fs, logger } = effects;
  const staged = stagedDir(outDir);
  let rendered: { report: SiteReport; run: RunInfo } | undefined;
  return {
    async render(warehouse) {
      for (const note of await writingTo(outDir, () => recoverSite(outDir, fs))) logger.warn(note);
      // The next warehouse is open for writing: pages query it on a connection of their own.
      const connection = warehouse.connect ? await warehouse.connect() : warehouse;
      try {
        const run: RunInfo = {
          ...runIdentity(options.env, effects.clock.date()),
          asOf: await warehouseAsOf(connection, options.asOf),
        };
        logger.info(`site   rendering the dashboard (run ${run.id}, data as of ${run.asOf || "unknown"})`);
        const began = effects.clock.now();
        const render = options.render ?? (await import("../site/buildSite.ts")).buildSite;
        const report = await writingTo(outDir, async () => {
          const built = await render({
            projectDir: options.projectDir,
            warehousePath: options.warehousePath,
            warehouse: connection,
            outDir: staged,
            demo: options.demo,
            ...(options.locale ? { locale: options.locale } : {}),
            run,
            onProgress: (message) => logger.progress(`site: ${message}`),
          });
          await effects.writeText(join(staged, RUN_INFO_FILE), `${JSON.stringify(run, null, 2)}\n`);
          return built;
        });
        const seconds = ((effects.clock.now() - began) / 1000).toFixed(2);
        const reused = report.pageCache ? `, ${report.pageCache.reused.length} of them reused` : "";
        logger.info(`ok     site   ${report.pages.length} pages rendered (${seconds}s${reused})`);
        rendered = { report, run };
      } finally {
        if (connection !== warehouse) await connection.close();
      }
    },
    async finish(published) {
      if (!published || !rendered) {
        await fs.remove(staged);
        return undefined;
      }
      await writingTo(outDir, () => swapSite(staged, outDir, fs, effects.pid));
      return { ...rendered, report: { ...rendered.report, outDir } };
    },
  };
}
