/**
 * Which relations a dashboard page reads: a page depends on a relation when one of its SQL
 * queries mentions the relation's name as a word (`from retention_cohorts`, `main.churn_monthly`,
 * `"rfm_segments"`). A page that shows the run itself (test results, lineage, row counts from
 * the catalog) depends on every rebuild. Pure: page text in, names out.
 */

/** Components whose content comes from the run's artifacts (manifest, run results), not a query. */
const RUN_COMPONENTS = ["TestResults", "Lineage", "Glossary"];
/** Catalog functions and views: a query over them reads every relation. */
const CATALOG = /\b(duckdb_tables|duckdb_views|duckdb_columns|information_schema)\b/i;

/** The names in `relations` that `sql` mentions as whole words (case-insensitive). */
export function mentioned(sql: string, relations: Iterable<string>): Set<string> {
  const words = new Set(
    sql
      .replace(/--[^\n]*/g, " ")
      .toLowerCase()
      .split(/[^a-z0-9_$]+/),
  );
  const out = new Set<string>();
  for (const relation of relations) if (words.has(relation.toLowerCase())) out.add(relation);
  return out;
}

/** Whether a page must be rebuilt after any rebuild: it shows the run or reads the catalog. */
export function readsEverything(queries: readonly { sql: string }[], source: string): boolean {
  if (queries.some((query) => CATALOG.test(query.sql))) return true;
  return RUN_COMPONENTS.some((name) => new RegExp(`<${name}[\\s/>]`).test(source));
}

/** Whether a page with these queries (and this text) is affected by rebuilding `relations`. */
export function pageAffected(
  queries: readonly { sql: string }[],
  source: string,
  relations: ReadonlySet<string>,
): boolean {
  if (relations.size === 0) return false;
  if (readsEverything(queries, source)) return true;
  return queries.some((query) => mentioned(query.sql, relations).size > 0);
}
