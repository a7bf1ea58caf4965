/**
 * dbt-style source freshness: the age of the newest `loaded_at_field` value at load time,
 * against `warn_after` / `error_after` hours. Computed at load and stored in
 * `raw.source_freshness` for the site; it reports, it does not fail the load.
 */

import type { Adapter } from "../engine/adapters/adapter.ts";
import { quoteIdent } from "../engine/adapters/adapter.ts";
import { errors } from "../errors.ts";
import type { FreshnessResult, SourceTable } from "./api.ts";
import { contractTable } from "./contract.ts";

/** Status for an age in hours (null: no rows). Pure. */
export function freshnessStatus(
  ageHours: number | null,
  warnAfterHours?: number,
  errorAfterHours?: number,
): FreshnessResult["status"] {
  const over = (limit?: number) => limit !== undefined && (ageHours === null || ageHours > limit);
  if (over(errorAfterHours)) return "error";
  if (over(warnAfterHours)) return "warn";
  return "pass";
}

/** Measures and stores the freshness of `table` (which declares `freshness`). */
export async function measureFreshness(
  adapter: Adapter,
  table: SourceTable,
  now: string,
): Promise<FreshnessResult> {
  const spec = table.freshness!;
  const column = contractTable(table.name)?.columns.find((one) => one.name === spec.loadedAtField);
  if (!column || (column.kind !== "timestamp" && column.kind !== "date")) {
    throw errors.config(
      `loaded_at_field '${spec.loadedAtField}' is not a timestamp column of raw.${table.name}`,
      table.location,
    );
  }
  const { rows } = await adapter.query(
    `select strftime(max_at, '%Y-%m-%d %H:%M:%S') as max_at,
        date_diff('second', max_at, $now::timestamp) / 3600.0 as age_hours
    from (select max(${quoteIdent(column.name)})::timestamp as max_at from raw.${quoteIdent(table.name)})`,
    { now },
  );
  const maxLoadedAt = rows[0]?.max_at == null ? null : String(rows[0].max_at);
  const ageHours = rows[0]?.age_hours == null ? null : Number(rows[0].age_hours);
  const status = freshnessStatus(ageHours, spec.warnAfterHours, spec.errorAfterHours);
  await adapter.execute(
    "insert into raw.source_freshness values ($source, $field, $max::timestamp, $now::timestamp, $age, $warn, $error, $status)",
    {
      source: table.name,
      field: spec.loadedAtField,
      max: maxLoadedAt,
      now,
      age: ageHours,
      warn: spec.warnAfterHours ?? null,
      error: spec.errorAfterHours ?? null,
      status,
    },
  );
  return { loadedAtField: spec.loadedAtField, maxLoadedAt, ageHours, status };
}
