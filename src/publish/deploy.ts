/**
 * `huitou deploy`: publishes a built site to a target folder atomically, Capistrano's way.
 * The site is copied into `DIR/releases/<name>/` under a temporary name, renamed into place,
 * and then the `DIR/current` link is switched to it by renaming a new link over the old one
 * (rename(2) is atomic, so a web server serving `DIR/current` sees the old site or the new one,
 * never a mixture). The last `keep` releases stay; `rollback` points `current` at the release
 * before it. A failure before the switch removes the partial copy and leaves `current` alone.
 */
import { join } from "node:path";
import { errors } from "../errors.ts";
import type { DeployFs } from "./deployFs.ts";
import { writingTo } from "./fileErrors.ts";
import { isRelease, previousRelease, releaseName, releasesToPrune } from "./releases.ts";
import { readRunInfo } from "./runInfo.ts";

export interface DeployEffects {
  fs: DeployFs;
  clock: { date(): Date };
  pid: number;
  /** Whether a process is still running (to tell a crashed deploy's leftovers from a live one's). */
  alive(pid: number): boolean;
}

export interface DeployReport {
  targetDir: string;
  /** The release `current` points at now. */
  release: string;
  /** The release it pointed at before, if any. */
  previous: string | undefined;
  /** Releases deleted to keep the last N. */
  removed: string[];
}

const CURRENT = "current";
const RELEASES = "releases";

/** Copies `siteDir` as a new release of `targetDir`, switches `current` to it, prunes to `keep`. */
export async function deploy(
  options: { siteDir: string; targetDir: string; keep: number },
  effects: DeployEffects,
): Promise<DeployReport> {
  const { fs } = effects;
  const { siteDir, targetDir } = options;
  if (!(await fs.exists(join(siteDir, "index.html")))) throw errors.noSite(siteDir);
  const info = await readRunInfo(siteDir, fs.readText);
  const releases = join(targetDir, RELEASES);
  const previous = await writingTo(targetDir, () => currentRelease(targetDir, fs));
  await writingTo(targetDir, () => fs.mkdir(releases));
  await removeLeftovers(releases, effects);
  const names = await fs.list(releases);
  const release = releaseName(effects.clock.date(), info?.id, new Set(names));
  const partial = join(releases, `.partial-${effects.pid}-${release}`);
  try {
    await writingTo(targetDir, async () => {
      await fs.copyDir(siteDir, partial);
      await fs.rename(partial, join(releases, release));
    });
  } catch (error) {
    await fs.remove(partial);
    throw error;
  }
  try {
    await switchCurrent(targetDir, release, effects);
  } catch (error) {
    await fs.remove(join(releases, release));
    throw error;
  }
  const removed = releasesToPrune([...names, release], release, options.keep);
  for (const name of removed) await fs.remove(join(releases, name));
  return { targetDir, release, previous, removed };
}

/** Points `current` back at the release deployed before the current one. */
export async function rollback(
  options: { targetDir: string },
  effects: DeployEffects,
): Promise<DeployReport> {
  const { fs } = effects;
  const { targetDir } = options;
  const current = await currentRelease(targetDir, fs);
  if (current === undefined)
    throw errors.noRollback(targetDir, "nothing is deployed there yet (no current link)");
  const earlier = previousRelease(await fs.list(join(targetDir, RELEASES)), current);
  if (earlier === undefined)
    throw errors.noRollback(targetDir, `${current} is the oldest release kept; there is none before it`);
  await switchCurrent(targetDir, earlier, effects);
  return { targetDir, release: earlier, previous: current, removed: [] };
}

/** The release name `DIR/current` points at; undefined when there is no link yet. */
export async function currentRelease(targetDir: string, fs: DeployFs): Promise<string | undefined> {
  const path = join(targetDir, CURRENT);
  const target = await fs.readLink(path);
  if (target === undefined) {
    if (await fs.exists(path)) {
      throw errors.usage(
        `${path} exists but is not a link made by huitou deploy; move it away (or deploy to an empty folder)`,
      );
    }
    return undefined;
  }
  const name = target.replace(/\/+$/, "").split("/").at(-1) ?? "";
  return isRelease(name) ? name : undefined;
}

async function switchCurrent(targetDir: string, release: string, effects: DeployEffects): Promise<void> {
  const { fs } = effects;
  const temporary = join(targetDir, `.current-${effects.pid}.tmp`);
  await writingTo(targetDir, async () => {
    await fs.remove(temporary);
    // Relative, so the whole folder can be moved or mounted elsewhere.
    await fs.symlink(`${RELEASES}/${release}`, temporary);
    await fs.rename(temporary, join(targetDir, CURRENT));
  }).catch(async (error: unknown) => {
    await fs.remove(temporary);
    throw error;
  });
}

/** Partial copies left by deploys that were killed (their process is gone). */
async function removeLeftovers(releases: string, effects: DeployEffects): Promise<void> {
  for (const name of await effects.fs.list(releases)) {
    const pid = Number(/^\.partial-(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid > 0 && (pid === effects.pid || !effects.alive(pid))) {
      await effects.fs.remove(join(releases, name));
    }
  }
}

/** Whether process `pid` is running (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
