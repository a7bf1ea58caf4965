/** Test helper: a throwaway copy of a fixture project, and errors reduced to comparable data. */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { quietEffects } from "../../src/engine/effects.ts";
import { type RunOutcome, type RunRequest, runProject } from "../../src/engine/session.ts";
import { HuitouError, HuitouErrors } from "../../src/errors.ts";

export const FIXTURES = join(import.meta.dirname, "..", "fixtures");

const copies: string[] = [];

/** Copies tests/fixtures/<name> to a fresh temporary folder (so target/ never lands in the repo). */
export async function copyFixture(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `huitou-${name}-`));
  copies.push(dir);
  await cp(join(FIXTURES, name), dir, { recursive: true, filter: (path) => !path.includes("/target") });
  return dir;
}

/** Removes the copies made so far; for `afterAll`. */
export async function removeCopies(): Promise<void> {
  for (const dir of copies.splice(0)) await rm(dir, { recursive: true, force: true });
}

const STEPS = {
  run: { sources: false, seeds: true, models: true, tests: false },
  test: { sources: false, seeds: false, models: false, tests: true },
  build: { sources: false, seeds: true, models: true, tests: true },
} as const;

/** Runs the engine on `dir` silently, as `huitou run` (or test) would. */
export async function runIn(
  dir: string,
  invocation: "run" | "test" | "build" = "run",
  extra: Partial<RunRequest> = {},
): Promise<RunOutcome & { logger: ReturnType<typeof quietEffects>["logger"] }> {
  const effects = quietEffects();
  const outcome = await runProject(
    { projectDir: dir, invocation, steps: STEPS[invocation], threads: 2, ...extra },
    effects,
  );
  return { ...outcome, logger: effects.logger };
}

export interface ErrorShape {
  name: string;
  file: string | undefined;
  line: number | undefined;
  column: number | undefined;
  message: string;
}

/** The errors of a thrown HuitouError(s), as plain data for comparing with expectations. */
export function shapes(error: unknown): ErrorShape[] {
  const list = error instanceof HuitouErrors ? error.errors : error instanceof HuitouError ? [error] : [];
  if (list.length === 0) throw error;
  return list.map((one) => ({
    name: one.name,
    file: one.location?.file,
    line: one.location?.line,
    column: one.location?.column,
    message: one.message,
  }));
}

/** Runs `work` and returns what it threw, reduced to shapes; fails when it did not throw. */
export async function thrown(work: () => Promise<unknown>): Promise<ErrorShape[]> {
  try {
    await work();
  } catch (error) {
    return shapes(error);
  }
  throw new Error("expected an error");
}
