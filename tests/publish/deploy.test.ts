/**
 * `huitou deploy` on real folders: releases, the atomic `current` link, pruning, rollback, and
 * the failures a user can meet (no site, a full disk half-way through the copy, a target that
 * refuses writes), each of which must leave the live site exactly as it was.
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { HuitouError } from "../../src/errors.ts";
import { type DeployEffects, deploy, rollback } from "../../src/publish/deploy.ts";
import { type DeployFs, nodeDeployFs } from "../../src/publish/deployFs.ts";
import { hashTree } from "./hashTree.ts";

const ROOT = join(import.meta.dirname, "..", "..");
let base: string;
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "huitou-deploy-"));
  dirs.push(base);
});

/** A built site: two pages and the run file that names the run. */
async function site(name: string, runId: string, body: string): Promise<string> {
  const dir = join(base, name);
  await mkdir(join(dir, "retention"), { recursive: true });
  await writeFile(join(dir, "index.html"), `<h1>${body}</h1>`);
  await writeFile(join(dir, "retention", "index.html"), `<p>${body}</p>`);
  await writeFile(
    join(dir, "huitou-run.json"),
    JSON.stringify({ id: runId, refreshedAt: "2025-03-16T02:00:00Z", asOf: "2025-03-15" }),
  );
  return dir;
}

/** Effects with a clock that ticks one day per deploy, from 2025-03-16 02:00 UTC. */
function effects(fs: DeployFs = nodeDeployFs): DeployEffects {
  let day = 16;
  return {
    fs,
    clock: { date: () => new Date(`2025-03-${String(day++).padStart(2, "0")}T02:00:00Z`) },
    pid: 4242,
    alive: (pid) => pid === 4242,
  };
}

const live = (target: string) => readFile(join(target, "current", "index.html"), "utf8");

async function thrown(work: () => Promise<unknown>): Promise<HuitouError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof HuitouError) return error;
    throw error;
  }
  throw new Error("expected a HuitouError");
}

describe("deploy", () => {
  it("copies the site into a release named after time and run, and points current at it", async () => {
    const target = join(base, "www");
    const report = await deploy(
      { siteDir: await site("dist", "gh-8123", "one"), targetDir: target, keep: 5 },
      effects(),
    );
    expect(report.release).toBe("20250316T020000Z-gh-8123");
    expect(report.previous).toBeUndefined();
    // A relative link, so the folder can be moved or mounted elsewhere.
    expect(await readlink(join(target, "current"))).toBe("releases/20250316T020000Z-gh-8123");
    expect(await live(target)).toBe("<h1>one</h1>");
    expect(await hashTree(join(target, "current"))).toEqual(await hashTree(join(base, "dist")));
  });

  it("switches to the new release and keeps the previous one whole", async () => {
    const target = join(base, "www");
    const fx = effects();
    await deploy({ siteDir: await site("a", "r1", "one"), targetDir: target, keep: 5 }, fx);
    const report = await deploy({ siteDir: await site("b", "r2", "two"), targetDir: target, keep: 5 }, fx);
    expect(report).toMatchObject({ release: "20250317T020000Z-r2", previous: "20250316T020000Z-r1" });
    expect(await live(target)).toBe("<h1>two</h1>");
    expect(await readFile(join(target, "releases", "20250316T020000Z-r1", "index.html"), "utf8")).toBe(
      "<h1>one</h1>",
    );
  });

  it("keeps the last N releases", async () => {
    const target = join(base, "www");
    const fx = effects();
    for (const n of [1, 2, 3, 4]) {
      await deploy({ siteDir: await site(`s${n}`, `r${n}`, `v${n}`), targetDir: target, keep: 2 }, fx);
    }
    // Four deploys on days 16..19 with --keep 2: those of the 18th and 19th remain.
    expect(await readdir(join(target, "releases"))).toEqual(["20250318T020000Z-r3", "20250319T020000Z-r4"]);
    expect(await live(target)).toBe("<h1>v4</h1>");
  });

  it("rolls back to the release before the current one, and says when there is none", async () => {
    const target = join(base, "www");
    const fx = effects();
    await deploy({ siteDir: await site("a", "r1", "one"), targetDir: target, keep: 5 }, fx);
    await deploy({ siteDir: await site("b", "r2", "two"), targetDir: target, keep: 5 }, fx);
    const back = await rollback({ targetDir: target }, fx);
    expect(back).toMatchObject({ release: "20250316T020000Z-r1", previous: "20250317T020000Z-r2" });
    expect(await live(target)).toBe("<h1>one</h1>");
    const error = await thrown(() => rollback({ targetDir: target }, fx));
    expect({ name: error.name, kind: error.kind, message: error.message }).toEqual({
      name: "no-rollback",
      kind: "usage",
      message: "cannot roll back: 20250316T020000Z-r1 is the oldest release kept; there is none before it",
    });
  });

  it("refuses a folder without a built site", async () => {
    const empty = join(base, "empty");
    await mkdir(empty);
    const error = await thrown(() =>
      deploy({ siteDir: empty, targetDir: join(base, "www"), keep: 5 }, effects()),
    );
    expect(error.name).toBe("no-site");
    expect(error.kind).toBe("usage");
  });

  it("on a full disk half-way through the copy: a clear error, no partial release, the live site unchanged", async () => {
    const target = join(base, "www");
    await deploy({ siteDir: await site("a", "r1", "one"), targetDir: target, keep: 5 }, effects());
    const before = await hashTree(target);
    // The copy writes its first file, then the disk is full.
    const full: DeployFs = {
      ...nodeDeployFs,
      async copyDir(_from, to) {
        await mkdir(to, { recursive: true });
        await writeFile(join(to, "index.html"), "<h1>half</h1>");
        throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      },
    };
    const error = await thrown(() =>
      deploy({ siteDir: join(base, "a"), targetDir: target, keep: 5 }, { ...effects(full), pid: 4242 }),
    );
    expect({ name: error.name, kind: error.kind, file: error.location?.file }).toEqual({
      name: "disk-full",
      kind: "run",
      file: target,
    });
    expect(error.message).toContain("is full (ENOSPC)");
    expect(error.message).toContain("The published site is unchanged");
    expect(await hashTree(target)).toEqual(before);
    expect(await readdir(join(target, "releases"))).toEqual(["20250316T020000Z-r1"]);
  });

  it("on a target that refuses writes: a clear error naming it, nothing changed", async () => {
    const target = join(base, "www");
    const denied: DeployFs = {
      ...nodeDeployFs,
      mkdir: async () => {
        throw Object.assign(new Error("EACCES: permission denied, mkdir"), { code: "EACCES" });
      },
    };
    const siteDir = await site("a", "r1", "one");
    const error = await thrown(() => deploy({ siteDir, targetDir: target, keep: 5 }, effects(denied)));
    expect(error.name).toBe("not-writable");
    expect([error.location?.file, error.message]).toEqual([
      target,
      "cannot write to this folder (EACCES): this user may not write there; choose a folder you can write to (deploy --to DIR, build --out DIR) or fix its permissions. The published site is unchanged",
    ]);
  });

  it("reports a target below a file (ENOTDIR on the real file system) as not writable", async () => {
    await writeFile(join(base, "file"), "x");
    const target = join(base, "file", "www");
    const siteDir = await site("a", "r1", "one");
    const error = await thrown(() => deploy({ siteDir, targetDir: target, keep: 5 }, effects()));
    expect([error.name, error.location?.file, error.message.slice(0, error.message.indexOf(":"))]).toEqual([
      "not-writable",
      target,
      "cannot write to this folder (ENOTDIR)",
    ]);
  });

  it("clears the partial copy of a killed deploy, but not that of a running one", async () => {
    const target = join(base, "www");
    await mkdir(join(target, "releases", ".partial-999999-20250101T000000Z"), { recursive: true });
    await mkdir(join(target, "releases", ".partial-777-20250101T000000Z"), { recursive: true });
    const fx = { ...effects(), alive: (pid: number) => pid === 4242 || pid === 777 };
    await deploy({ siteDir: await site("a", "r1", "one"), targetDir: target, keep: 5 }, fx);
    expect(await readdir(join(target, "releases"))).toEqual([
      ".partial-777-20250101T000000Z",
      "20250316T020000Z-r1",
    ]);
  });

  it("will not replace a current that is a real folder", async () => {
    const target = join(base, "www");
    await mkdir(join(target, "current"), { recursive: true });
    const siteDir = await site("a", "r1", "one");
    const error = await thrown(() => deploy({ siteDir, targetDir: target, keep: 5 }, effects()));
    expect(error.message).toBe(
      `${join(target, "current")} exists but is not a link made by huitou deploy; move it away (or deploy to an empty folder)`,
    );
  });
});

describe("huitou deploy (the command)", () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, "src", "cli", "main.ts"), "deploy", ...args], {
      encoding: "utf8",
      cwd: base,
    });

  it("deploys, rolls back, and exits 2 for bad usage", async () => {
    await site("dist", "r1", "one");
    const target = join(base, "www");
    const first = cli(["--to", target]);
    expect([first.status, first.stderr]).toEqual([0, ""]);
    expect(first.stdout).toMatch(/^deployed \d{8}T\d{6}Z-r1 to .*\/www\/current\n$/);
    await site("dist2", "r2", "two");
    expect(cli(["--to", target, "--from", "dist2"]).status).toBe(0);
    expect(await live(target)).toBe("<h1>two</h1>");
    const back = cli(["--to", target, "--rollback"]);
    expect(back.status).toBe(0);
    expect(await live(target)).toBe("<h1>one</h1>");
    const bad = cli(["--to", target, "--keep", "0"]);
    expect([bad.status, bad.stderr]).toEqual([
      2,
      "error[usage] --keep expects a whole number from 1 to 1000, got '0'\n",
    ]);
    expect(cli(["--to", target, "--from", "nowhere"]).status).toBe(2);
  });
});
