/**
 * The rows a source load wrote this run, for its tests (testScope.ts): as an incremental model's
 * batch sits in `huitou_scratch."<model>"`, a source table loaded incrementally gets a view
 * `huitou_scratch."source__<table>"` of the rows this run wrote. Only two kinds of load qualify,
 * those after which every other row of `raw.<table>` is a row the published warehouse held:
 * an append-mode merge (new files' rows carry this load's `_loaded_at`; the kept rows are
 * untouched, some deleted as superseded), and a table kept because its files are unchanged (no
 * row written). A full reload, even one that lends unchanged rows their previous `_loaded_at`,
 * checks everything: a file may repeat a row that the reload then dates to the past.
 */
import type { SourceLoadReport } from "../ingest/api.ts";
import { quoteIdent, quoteLiteral } from "./adapters/adapter.ts";
import { SCRATCH_SCHEMA } from "./materialize.ts";
import type { Plan } from "./types.ts";

/** The view of the rows the load of source table `table` wrote this run. */
export const sourceBatchRelation = (table: string): string =>
  `${quoteIdent(SCRATCH_SCHEMA)}.${quoteIdent(`source__${table}`)}`;

export interface SourceBatches {
  /** Creates the views (in the scratch schema, which the session drops before publishing). */
  sql: string;
  /** Rows written this run, by source node id. */
  written: Map<string, number>;
}

/** The batch views of the tables `reports` say were merged or kept. Pure. */
export function sourceBatches(reports: readonly SourceLoadReport[], plan: Plan): SourceBatches {
  const statements = [`create schema if not exists ${quoteIdent(SCRATCH_SCHEMA)}`];
  const written = new Map<string, number>();
  for (const report of reports) {
    const node = [...plan.nodes.values()].find(
      (one) => one.kind === "source" && one.table.name === report.table,
    );
    const merged = report.refresh === "merged" && report.loadedAt !== undefined;
    if (node?.kind !== "source" || !(merged || report.refresh === "kept")) continue;
    // Stamped with this load's time (a load earlier in the same second shares it: more rows
    // checked, none missed); a kept table wrote nothing.
    const filter = merged ? `"_loaded_at" = timestamp ${quoteLiteral(report.loadedAt as string)}` : "false";
    statements.push(
      `create or replace view ${sourceBatchRelation(report.table)} as select * from ${node.relation} where ${filter}`,
    );
    written.set(node.id, merged ? report.rowsWritten : 0);
  }
  return { sql: statements.join(";\n"), written };
}
