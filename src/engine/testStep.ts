/**
 * The test step: every selected data test runs on the connection pool; tests of nodes that did
 * not build are skipped, and so (quietly, in one line) are tests of sources not loaded yet.
 */
import { errors, HuitouError } from "../errors.ts";
import type { Adapter } from "./adapters/adapter.ts";
import type { Effects } from "./effects.ts";
import { runTest, SHOWN_FAILURES } from "./execute.ts";
import { type NodeResult, type Status, skipped } from "./results.ts";
import { schedule } from "./scheduler.ts";
import { type NarrowedRun, narrowedRun, type RunFacts } from "./testScope.ts";
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
  let done = 0;
  await schedule(
    runnable.map((test) => test.id),
    () => [],
    pool,
    {
      async work(id, connection) {
        const test = plan.nodes.get(id) as TestNode;
        logger.progress(`${done}/${runnable.length} tests done; running ${test.name}`);
        const began = clock.now();
        const startedAt = clock.date().toISOString();
        let status: Status = "pass";
        let failures: number | null = 0;
        let message = "pass";
        let error: HuitouError | undefined;
        const narrowed: NarrowedRun | undefined = facts ? narrowedRun(test, plan, facts) : undefined;
        if (narrowed) message = `pass (written rows: ${narrowed.rows})`;
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
        done++;
        if (status === "warn")
          logger.warn(`warning: ${test.location.file}:${test.location.line}: ${message}`);
        record({
          id,
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
        });
        return "ok";
      },
      skip() {},
    },
  );
}
