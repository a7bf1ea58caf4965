/**
 * The SQL of refreshing a table that was loaded before. Append files supersede: among the rows
 * that passed every check, a row whose key (the contract key, else the whole row) appears in a
 * later file is replaced by it; superseded rows count as loaded, not rejected, and leave no
 * quarantine row. A merge replaces the rows whose key a new file brings and inserts the rest;
 * a full reload over a previous version gives rows identical to a previous row their previous
 * `_loaded_at`. Pure: SQL out.
 */
import { quoteIdent } from "../engine/adapters/adapter.ts";
import type { ContractTable } from "./contract.ts";
import { LOADED_AT } from "./warehouseTables.ts";

/** The `__problem.reason` of a superseded row: deleted with the rejects, but loaded. */
export const SUPERSEDED = "superseded_by_later_file";

/** The columns that identify a version of a row: the key, else every contract column. */
function identity(table: ContractTable): { columns: string[]; equal: (a: string, b: string) => string } {
  const key = table.key ?? table.columns.map((column) => column.name);
  // Key columns are required, so `=`; a whole row may hold NULLs, which match NULLs.
  const operator = table.key ? "=" : "is not distinct from";
  return {
    columns: key.map(quoteIdent),
    equal: (a, b) => key.map((c) => `${a}.${quoteIdent(c)} ${operator} ${b}.${quoteIdent(c)}`).join(" and "),
  };
}

/**
 * Marks the valid rows of `stage` that a later file's row supersedes. Within a file duplicates
 * were resolved already, so a key seen twice among valid rows spans files; only those few keys
 * are ranked, so a folder without repeats costs one aggregation.
 */
export function supersedeSql(table: ContractTable, stage: string): string {
  const { columns } = identity(table);
  const hashed = `hash(${columns.join(", ")})`;
  return `create or replace temp table __superseded as
with valid as (select rowid as row_id, * from ${stage} where __problem is null),
candidates as (select * from valid where ${hashed} in (
    select ${hashed} from valid group by 1 having count(*) > 1)),
ranked as (select row_id, __file, max(__file) over (partition by ${columns.join(", ")}) as last_file from candidates)
select row_id from ranked where __file < last_file;
update ${stage} as staged set __problem = {'reason': '${SUPERSEDED}', 'column': null::varchar, 'value': null::varchar}
from __superseded as s
where staged.rowid = s.row_id;
drop table __superseded;`;
}

/** Replaces the rows of `target` whose key `delta` brings, then inserts `delta` and drops it. */
export function mergeSql(table: ContractTable, target: string, delta: string): string {
  return `delete from ${target} as existing using ${delta} as delta where ${identity(table).equal("existing", "delta")};
insert into ${target} select * from ${delta};
drop table ${delta};`;
}

/**
 * Records in `raw.row_deletions` how many rows of `previous` have no version in the reloaded
 * `target` (their key, else the whole row, is gone): a deleted row leaves no `_loaded_at`
 * behind, so incremental models learn of it here and rebuild in full.
 */
export function deletedRowsSql(table: ContractTable, target: string, previous: string, now: string): string {
  const match = identity(table).equal("kept", "gone");
  return `insert into raw.row_deletions
select '${table.name}', count(*), '${now}'::timestamp
from ${previous} as gone
where not exists (select 1 from ${target} as kept where ${match})
having count(*) > 0`;
}

/**
 * Gives the rows of the reloaded `target` that equal a row of `previous` in every contract
 * column that row's `_loaded_at`, then drops `previous`. Only rows stamped with this load's
 * time `now` are looked at: a row taken over from `previous` (reuseSql.ts) has its time already.
 */
export function keepLoadedAtSql(table: ContractTable, target: string, previous: string, now: string): string {
  const same = table.columns
    .map(
      (column) =>
        `reloaded.${quoteIdent(column.name)} is not distinct from previous.${quoteIdent(column.name)}`,
    )
    .join(" and ");
  const loadedAt = quoteIdent(LOADED_AT);
  return `update ${target} as reloaded set ${loadedAt} = previous.${loadedAt}
from ${previous} as previous
where reloaded.${loadedAt} = timestamp '${now}' and ${same};
drop table ${previous};`;
}
