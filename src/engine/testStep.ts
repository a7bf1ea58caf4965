/**
 * The test step: every selected data test runs on the connection pool; tests of nodes that did
 * not build are skipped, and so (quietly, in one line) are tests of sources not loaded yet. The
 * row-local tests of one relation share one scan (sharedScan.ts); the others run alone.
 */
import { errors, HuitouError } from "../errors.ts";
import type { Adapter } from "./adapters/adapter.ts";
import type { Effects } from "./effects.ts";
import { runTest, SHOWN_FAILURES } from "./execute.ts";
import { type NodeResult, type Status, skipped } from "./results.ts";
import { schedule } from "./scheduler.ts";
import { planScans, runScan, type SharedScan, type TestRun } from "./sharedScan.ts";
import { narrowedRun, type RunFacts } from "./testScope.ts";
import type { Plan, TestNode } from "./types.ts";

/**
 * Runs `tests`; `present` holds the `schema.name` of relations in the warehouse. With `facts`
 * (a run that built models), a test may check only the rows an incremental build wrote, and
 * says so in its message: "pass (written rows: 120)".
 */
export async function testStep(
  tests: TestNode[],
  plan: Plan,
  pool: Adapter[],
  present: Set<string>,
  earlier: readonly NodeResult[],
  effects: Effects,
  record: (result: NodeResult) => void,
  recordQuietly: (result: NodeResult) => void,
  facts?: RunFacts,
): Promise<void> {
  const { clock, logger } = effects;
  const broken = new Map(
    earlier
      .filter((result) => result.status === "error" || result.status === "skipped")
      .map((result) => [result.id, result]),
  );
  const runnable: TestNode[] = [];
  const unloaded = new Set<string>();
  for (const test of tests) {
    const blocked = test.dependsOn.find((id) => broken.has(id));
    const source = test.dependsOn.map((id) => plan.nodes.get(id)).find((node) => node?.kind === "source");
    if (blocked) record(skipped(test, `${plan.nodes.get(blocked)?.name ?? blocked} did not build`));
    else if (source?.kind === "source" && !present.has(source.relation)) {
      // Sources not loaded yet (a project run without build): one line, not one per test.
      unloaded.add(source.relation);
      recordQuietly(skipped(test, `${source.relation} is not loaded (huitou build loads sources)`));
    } else runnable.push(test);
  }
  if (unloaded.size > 0) {
    logger.info(
      `skip   tests of sources not loaded yet (${[...unloaded].join(", ")}): huitou build loads them`,
    );
  }
  const runs: TestRun[] = runnable.map((test) => ({
    test,
    narrowed: facts ? narrowedRun(test, plan, facts) : undefined,
  }));
  const { scans, alone } = planScans(runs, plan);
  // Scans first: each holds several tests, and a scan of a view computes the view.
  const units = new Map<string, SharedScan | TestRun>([
    ...scans.map((scan) => [`scan:${scan.relation}`, scan] as const),
    ...alone.map((run) => [run.test.id, run] as const),
  ]);
  let done = 0;
  const finish = (test: TestNode, result: NodeResult) => {
    done++;
    if (result.status === "warn")
      logger.warn(`warning: ${test.location.file}:${test.location.line}: ${result.message}`);
    record(result);
  };
  const single = async (run: TestRun, connection: Adapter): Promise<NodeResult> => {
    logger.progress(`${done}/${runnable.length} tests done; running ${run.test.name}`);
    return runAlone(run, connection, plan, effects);
  };
  await schedule([...units.keys()], () => [], pool, {
    async work(id, connection) {
      const unit = units.get(id) as SharedScan | TestRun;
      if ("test" in unit) {
        finish(unit.test, await single(unit, connection));
        return "ok";
      }
      logger.progress(`${done}/${runnable.length} tests done; scanning ${unit.relation}`);
      const began = clock.now();
      const startedAt = clock.date().toISOString();
      let counts: number[] | undefined;
      try {
        counts = await runScan(unit, connection, plan);
      } catch {
        // Run alone, each test reports its own error with its file and line.
        counts = undefined;
      }
      const share = (clock.now() - began) / 1000 / unit.members.length;
      const completedAt = clock.date().toISOString();
      const tests = unit.members.length;
      for (const [index, run] of unit.members.entries()) {
        const { test, narrowed } = run;
        if (counts?.[index] === 0) {
          finish(test, {
            ...passed(test, narrowed?.rows),
            startedAt,
            completedAt,
            executionTime: share,
            sharedScan: tests,
          });
        } else {
          // Failing rows (or a scan error): the single test says what it found.
          const result = await single(run, connection);
          finish(test, { ...result, executionTime: result.executionTime + share, sharedScan: tests });
        }
      }
      return "ok";
    },
    skip() {},
  });
}

/** A passing test's result, before its timing. */
function passed(test: TestNode, writtenRows: number | undefined): NodeResult {
  return {
    id: test.id,
    kind: "test",
    name: test.name,
    status: "pass",
    startedAt: undefined,
    completedAt: undefined,
    executionTime: 0,
    rowsAffected: null,
    failures: 0,
    message: writtenRows === undefined ? "pass" : `pass (written rows: ${writtenRows})`,
    error: undefined,
  };
}

/** Runs one test alone: its status, failing-row count and the first failing rows. */
async function runAlone(
  run: TestRun,
  connection: Adapter,
  plan: Plan,
  effects: Effects,
): Promise<NodeResult> {
  const { clock } = effects;
  const { test, narrowed } = run;
  const began = clock.now();
  const startedAt = clock.date().toISOString();
  let status: Status = "pass";
  let failures: number | null = 0;
  let message = passed(test, narrowed?.rows).message;
  let error: HuitouError | undefined;
  try {
    const outcome = await runTest(test, connection, plan, narrowed?.sql);
    failures = outcome.failures;
    if (outcome.failures > 0) {
      status = test.config.severity === "warn" ? "warn" : "fail";
      const advice =
        status === "warn"
          ? "severity warn: the run goes on"
          : "fix the data or the model, or make the test severity: warn";
      const shown = outcome.failures > SHOWN_FAILURES ? ` (first ${SHOWN_FAILURES} shown)` : "";
      const checked = narrowed
        ? ` (checked the ${narrowed.rows} ${narrowed.rows === 1 ? "row" : "rows"} this run wrote)`
        : "";
      message = `${outcome.failures} failing ${outcome.failures === 1 ? "row" : "rows"} in test ${test.name}${checked}${shown}; ${advice}\n${outcome.shown.trimEnd()}`;
      error = errors.testFailed(message, test.location);
    }
  } catch (caught) {
    if (!(caught instanceof HuitouError)) throw caught;
    error = caught;
    status = "error";
    failures = null;
    message = error.message;
  }
  return {
    id: test.id,
    kind: "test",
    name: test.name,
    status,
    startedAt,
    completedAt: clock.date().toISOString(),
    executionTime: (clock.now() - began) / 1000,
    rowsAffected: null,
    failures,
    message,
    error,
  };
}
