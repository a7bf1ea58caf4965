/**
 * The rebuild loop of `huitou dev`, without the server: build (or reuse) the warehouse and
 * render the site once; then, for each batch of edited files, rebuild what depends on them
 * (devPlan: the edited models and their descendants, through the engine's `--select name+`)
 * and render the pages that read a rebuilt relation (devSite). Each step returns a report of
 * what was rebuilt, which is what the dev loop test inspects.
 */
import type { Effects } from "../engine/effects.ts";
import { loadPlan } from "../engine/loadPlan.ts";
import { loadProject } from "../engine/project.ts";
import { type RunOutcome, runProject } from "../engine/session.ts";
import { resolveVars, type VarValue } from "../engine/vars.ts";
import { warehousePaths } from "../engine/warehouse.ts";
import { HuitouError, HuitouErrors } from "../errors.ts";
import { planChange } from "./devPlan.ts";
import { devSite } from "./devSite.ts";

export interface DevOptions {
  projectDir: string;
  /** The folder the dev server serves (target/dev-site by default). */
  outDir: string;
  /** The shop's files, for the first build and when a source declaration changes. */
  dataDir?: string;
  vars?: Record<string, VarValue>;
  threads?: number;
  demo?: boolean;
  /** The built-in pages folder (huitou's pages/ by default). */
  builtInPages?: string;
  env?: Record<string, string | undefined>;
}

/** What one step of the loop rebuilt. */
export interface DevReport {
  /** The edited files (project-relative) that started it; empty for the first build. */
  changed: string[];
  /** Those of them that affect nothing built (temporary files, deleted models, other files). */
  ignored: string[];
  /** Sources reloaded, seeds and models rebuilt (names, in the order they finished). */
  sources: string[];
  seeds: string[];
  models: string[];
  /** Pages whose queries ran again (routes), and pages written again. */
  pages: string[];
  rendered: string[];
  /** Empty when the step succeeded; the previous warehouse and pages stay otherwise. */
  failures: HuitouError[];
}

export interface DevSession {
  initial: DevReport;
  /** Rebuilds after `paths` (project-relative, `/`-separated) were edited. */
  change(paths: string[]): Promise<DevReport>;
}

/** Builds (when there is no warehouse yet) and renders the site, then waits for changes. */
export async function startDev(options: DevOptions, effects: Effects): Promise<DevSession> {
  const paths = warehousePaths(options.projectDir);
  const site = devSite({
    projectDir: options.projectDir,
    warehousePath: paths.current,
    outDir: options.outDir,
    demo: options.demo ?? false,
    ...(options.builtInPages ? { builtInPages: options.builtInPages } : {}),
  });
  const empty = (changed: string[]): DevReport => ({
    changed,
    ignored: [],
    sources: [],
    seeds: [],
    models: [],
    pages: [],
    rendered: [],
    failures: [],
  });

  const rebuild = async (
    report: DevReport,
    request: { sources: boolean; select: string | undefined },
  ): Promise<boolean> => {
    const outcome = await runProject(
      {
        projectDir: options.projectDir,
        invocation: "run",
        steps: { sources: request.sources, seeds: true, models: true, tests: false },
        ...(request.select !== undefined ? { select: request.select } : {}),
        ...(options.dataDir ? { dataDir: options.dataDir } : {}),
        vars: options.vars ?? {},
        threads: options.threads ?? 2,
        env: options.env ?? process.env,
      },
      effects,
    );
    collect(report, outcome);
    return report.failures.length === 0;
  };

  const guarded = async (report: DevReport, work: () => Promise<void>): Promise<DevReport> => {
    try {
      await work();
    } catch (error) {
      if (error instanceof HuitouErrors) report.failures.push(...error.errors);
      else if (error instanceof HuitouError) report.failures.push(error);
      else throw error;
    }
    return report;
  };

  const initial = empty([]);
  await guarded(initial, async () => {
    const fresh = !(await effects.fs.exists(paths.current));
    // Without --data the sources cannot load: the models then say to run `huitou build` first.
    const sources = options.dataDir !== undefined;
    if (fresh && !(await rebuild(initial, { sources, select: undefined }))) return;
    const { compiled, rendered } = await site.renderAll();
    initial.pages = compiled;
    initial.rendered = rendered;
  });

  return {
    initial,
    async change(changed) {
      const report = empty([...changed].sort());
      return guarded(report, async () => {
        const project = await loadProject(options.projectDir, effects.fs);
        const plan = await loadPlan(project, effects.fs, {
          vars: resolveVars(project.vars, options.vars ?? {}),
          fullRefresh: false,
          existing: new Map(),
          env: options.env ?? process.env,
        });
        const change = planChange(changed, plan);
        report.ignored = change.ignored;
        if (change.all || change.sources || change.select.length > 0) {
          const select = change.all ? undefined : change.select.join(" ");
          if (!(await rebuild(report, { sources: change.sources, select }))) return;
        }
        const relations = new Set([...report.sources, ...report.seeds, ...report.models]);
        const { compiled, rendered } = await site.update(relations, new Set(change.pages));
        report.pages = compiled;
        report.rendered = rendered;
      });
    },
  };
}

/** The run's rebuilt nodes and failures, into the report. */
function collect(report: DevReport, outcome: RunOutcome): void {
  for (const result of outcome.results) {
    if (result.status !== "success") continue;
    if (result.kind === "source") report.sources.push(result.name);
    else if (result.kind === "seed") report.seeds.push(result.name);
    else if (result.kind === "model") report.models.push(result.name);
  }
  report.failures.push(...outcome.failures);
}
