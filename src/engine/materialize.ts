/**
 * The statements that materialize a model: view, table, incremental (append, or merge on
 * `unique_key`) and ephemeral (none: it is inlined where read). Pure SQL generation; the model's
 * own SQL keeps its line map, so an error inside it still points at the template.
 * An incremental batch is written to `huitou_scratch."<model>"` first (with the model's own
 * column types) and appended or merged from there: the data tests of the run then read the
 * rows it wrote (testScope.ts); the session drops the schema before the warehouse is published.
 */
import { quoteIdent } from "./adapters/adapter.ts";
import { concat, generated, type MappedSql } from "./lineMap.ts";
import type { ModelNode } from "./types.ts";

/** The schema of the written batches; it never reaches a published warehouse. */
export const SCRATCH_SCHEMA = "huitou_scratch";

/** Where the rows an incremental build of `model` wrote this run are kept until the tests ran. */
export const scratchRelation = (model: string): string =>
  `${quoteIdent(SCRATCH_SCHEMA)}.${quoteIdent(model)}`;

export interface Statement {
  sql: MappedSql;
  /** Whether the statement's `Count` is the number of rows the model wrote. */
  counts: boolean;
}

/** How the model is built this time (`incremental` only when the relation exists as a table). */
export type Strategy = "view" | "table" | "append" | "merge" | "none";

export function strategyOf(model: ModelNode): Strategy {
  switch (model.config.materialized) {
    case "view":
      return "view";
    case "table":
      return "table";
    case "ephemeral":
      return "none";
    case "incremental":
      return model.incremental ? model.config.incrementalStrategy : "table";
  }
}

/**
 * Statements for `model`, whose executable SQL (ephemerals inlined) is `body`; `existing` is the
 * kind of relation already under its name, if any (a view becoming a table is dropped first).
 */
export function materialize(
  model: ModelNode,
  body: MappedSql,
  existing: "table" | "view" | undefined,
): Statement[] {
  const relation = model.relation;
  const drop = (kind: "table" | "view"): Statement[] =>
    existing === kind ? [{ sql: generated(`drop ${kind} if exists ${relation}`), counts: false }] : [];
  const strategy = strategyOf(model);
  switch (strategy) {
    case "none":
      return [];
    case "view":
      return [
        ...drop("table"),
        { sql: concat(generated(`create or replace view ${relation} as`), body), counts: false },
      ];
    case "table":
      return [
        ...drop("view"),
        { sql: concat(generated(`create or replace table ${relation} as`), body), counts: true },
      ];
    case "append":
    case "merge": {
      const scratch = scratchRelation(model.name);
      // Typed like the model's table, so the batch holds exactly the values the table will.
      const batch: Statement[] = [
        {
          sql: generated(`create or replace table ${scratch} as select * from ${relation} limit 0`),
          counts: false,
        },
        {
          sql: concat(
            generated(`insert into ${scratch} by name`),
            generated("select * from ("),
            body,
            generated(")"),
          ),
          counts: true,
        },
      ];
      if (strategy === "append") {
        return [
          ...batch,
          { sql: generated(`insert into ${relation} by name select * from ${scratch}`), counts: false },
        ];
      }
      const on = model.config.uniqueKey
        .map((key) => `target.${quoteIdent(key)} = source.${quoteIdent(key)}`)
        .join(" and ");
      return [
        ...batch,
        {
          sql: concat(
            generated(`merge into ${relation} as target`),
            generated(`using ${scratch} as source on (${on})`),
            generated("when matched then update set *"),
            generated("when not matched then insert by name"),
          ),
          counts: false,
        },
      ];
    }
  }
}
