/**
 * Duplicate detection among the rows that passed the row checks. An exact duplicate (every
 * contract column equal after parsing, so `2024/3/1` equals `2024-03-01`) loads once and its
 * later copies are rejected as `duplicate_row`; rows sharing a key but differing elsewhere are
 * all rejected as `duplicate_key` (which one is right cannot be known). Only the few keys or
 * row hashes that occur twice are examined row by row, so a clean file costs one aggregation.
 * Replace-mode tables look for duplicates across all their files; append-mode tables within
 * each file, since a later file's version supersedes an earlier one (mergeSql.ts). Pure: SQL out.
 */
import { quoteIdent, quoteLiteral } from "../engine/adapters/adapter.ts";
import type { ContractTable } from "./contract.ts";

/**
 * Statements that mark duplicates in the staging table `stage` (an UPDATE of `__problem`);
 * `perFile` compares rows of the same file only.
 */
export function dedupeSql(table: ContractTable, stage: string, perFile = false): string {
  const within = perFile ? ["__file"] : [];
  const all = [...within, ...table.columns.map((column) => quoteIdent(column.name))];
  const rowStruct = `{${table.columns.map((c) => `${quoteLiteral(c.name)}: ${quoteIdent(c.name)}`).join(", ")}}`;
  const key = table.key?.map(quoteIdent);
  const keyValue = key
    ? key.length === 1
      ? `${key[0]}::varchar`
      : `concat_ws(' | ', ${key.map((k) => `${k}::varchar`).join(", ")})`
    : "null::varchar";
  const keyColumn = quoteLiteral(table.key?.join(", ") ?? "");
  // Group 64-bit hashes, not strings: cheap on millions of rows; the windows below are exact.
  const hashed = `hash(${(key ? [...within, ...key] : all).join(", ")})`;
  const candidates = `select * from valid where ${hashed} in (
            select ${hashed} from valid group by 1 having count(*) > 1)`;
  const versions = key
    ? `count(distinct ${rowStruct}) over (partition by ${[...within, ...key].join(", ")})`
    : "1";
  return `create or replace temp table __duplicates as
with valid as (select rowid as row_id, * from ${stage} where __problem is null),
candidates as (${candidates}),
ranked as (
    select row_id, ${keyValue} as key_value,
        row_number() over (partition by ${all.join(", ")} order by row_id) as copy_number,
        ${versions} as versions
    from candidates
)
select row_id,
    case when copy_number > 1
        then {'reason': 'duplicate_row', 'column': ${key ? keyColumn : "null::varchar"}, 'value': key_value}
        else {'reason': 'duplicate_key', 'column': ${keyColumn}, 'value': key_value}
    end as problem
from ranked
where copy_number > 1 or versions > 1;
update ${stage} as staged set __problem = d.problem
from __duplicates as d
where staged.rowid = d.row_id;
drop table __duplicates;`;
}
