/**
 * The build step: seeds and models (SQL and TypeScript) in dependency order, independent ones in parallel on the
 * connection pool; a node whose parent failed is skipped. Each finished node is recorded.
 */
import { HuitouError } from "../errors.ts";
import type { Adapter } from "./adapters/adapter.ts";
import type { Effects } from "./effects.ts";
import { runModel, runSeed } from "./execute.ts";
import { oneAtATime } from "./oneAtATime.ts";
import { type NodeResult, type Status, skipped } from "./results.ts";
import { runTsModel } from "./runTsModel.ts";
import { schedule } from "./scheduler.ts";
import type { ModelNode, Node, Plan, SeedNode } from "./types.ts";

/** Builds `ids` (a topological order); `existing` tells which relations are views or tables. */
export async function buildStep(
  ids: string[],
  plan: Plan,
  pool: Adapter[],
  existing: Map<string, "table" | "view">,
  effects: Effects,
  record: (result: NodeResult) => void,
): Promise<void> {
  const { clock, logger, fs } = effects;
  const built = new Set(ids);
  const running = new Set<string>();
  const hooks = oneAtATime();
  let done = 0;
  const hint = (message: string): string | undefined => {
    const missing = /Table with name (\S+?) does not exist/.exec(message)?.[1]?.replace(/^.*\./, "");
    if (!missing) return undefined;
    const model = [...plan.nodes.values()].find((node) => node.kind !== "test" && node.name === missing);
    if (model?.kind === "source")
      return "sources are loaded by `huitou build`; run it once before `huitou run`";
    if (model && !built.has(model.id)) {
      return `${missing} is not in the warehouse yet: build it in the same run, e.g. huitou run --select +${missing}`;
    }
    return undefined;
  };
  await schedule(ids, (id) => plan.nodes.get(id)?.dependsOn ?? [], pool, {
    async work(id, connection) {
      const node = plan.nodes.get(id) as ModelNode | SeedNode;
      running.add(node.name);
      logger.progress(`${done}/${ids.length} done; running ${[...running].join(", ")}`);
      const began = clock.now();
      const startedAt = clock.date().toISOString();
      let status: Status = "success";
      let outcome: { rows: number | null; message: string } = { rows: null, message: "" };
      let error: HuitouError | undefined;
      try {
        outcome =
          node.kind === "seed"
            ? await runSeed(node, connection, (path) => fs.readText(path))
            : node.program
              ? await runTsModel(node, connection, plan, existing.get(node.name), logger)
              : await runModel(node, connection, plan, existing.get(node.name), hint, hooks);
      } catch (caught) {
        if (!(caught instanceof HuitouError)) throw caught;
        error = caught;
        status = "error";
        outcome = { rows: null, message: error.message };
      }
      running.delete(node.name);
      done++;
      record({
        id,
        kind: node.kind,
        name: node.name,
        status,
        startedAt,
        completedAt: clock.date().toISOString(),
        executionTime: (clock.now() - began) / 1000,
        rowsAffected: outcome.rows,
        failures: null,
        message: outcome.message,
        error,
      });
      return status === "success" ? "ok" : "failed";
    },
    skip(id, because) {
      const node = plan.nodes.get(id) as Node;
      record(skipped(node, `${plan.nodes.get(because)?.name ?? because} did not build`));
    },
  });
}
