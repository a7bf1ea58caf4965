/**
 * Reloading a whole-table export by its changes. Every load of a keyed replace-mode table keeps,
 * beside `raw.<table>`, a fingerprint of each loaded row's text (the file's values of the
 * contract columns, before any trimming, mapping, casting or hashing) with the row's key, in
 * `raw."row_fingerprints__<table>"`. The next reload of a single file under unchanged load
 * settings (raw.loaded_files proves them the same) fingerprints the file in one cheap pass; the
 * same text read the same way parses to the same row, so a row whose fingerprint is known is
 * the previous row, already checked, with its `_loaded_at`. Only the other rows are parsed,
 * checked and hashed (a second read of the file, positionally joined to the first, skips the
 * rest), which is most of a load's cost; and `raw.<table>` is not rewritten: the rows that
 * went away or changed are deleted, the new versions inserted. A known row whose key a new row
 * shares, or whose text the file repeats, joins the parsed rows in the staging table so the
 * duplicate checks see every row they would see in a full load. Pure: SQL out.
 */
import { createHash } from "node:crypto";
import { quoteIdent, quoteLiteral } from "../engine/adapters/adapter.ts";
import type { ContractTable } from "./contract.ts";
import type { PiiKey } from "./pii.ts";
import type { ColumnSource } from "./stageSql.ts";
import { LOADED_AT } from "./warehouseTables.ts";

/** The bare name of a source's fingerprint table, as information_schema lists it. */
export const fingerprintTableName = (name: string) => `row_fingerprints__${name}`;

/** The table of a source's row fingerprints, in schema raw. */
export const fingerprintTable = (name: string) => `raw.${quoteIdent(fingerprintTableName(name))}`;

/** The columns a fingerprint table has: `fingerprint`, then the key. */
export const fingerprintColumns = (table: ContractTable) => ["fingerprint", ...(table.key ?? [])];

/**
 * The fingerprint of a row from its contract columns' raw texts (NULL for a column the file
 * lacks): a 128-bit md5 of the values as a JSON list (unambiguous, NULL distinct from ''),
 * keyed with a secret derived from the PII key so that the fingerprint of a row holding a name
 * or phone cannot be matched against a guessed row.
 */
export function fingerprintSql(sources: ColumnSource[], pii: PiiKey): string {
  const secret = createHash("sha256").update(`row fingerprint ${pii.opadHex}`).digest("hex").slice(0, 32);
  const texts = sources.map(({ expression }) =>
    expression === null ? "null::varchar" : `${expression}::varchar`,
  );
  return `md5_number(concat(${quoteLiteral(secret)}, to_json(list_value(${texts.join(", ")}))))`;
}

/**
 * The first pass: the temp tables `__fp` (each row's line expression, fingerprint and whether
 * it is unknown, in file order, so rowid is the row's ordinal) and `__known` (the ordinals
 * whose fingerprint `fingerprints` holds, with the key).
 */
export function fingerprintPassSql(
  table: ContractTable,
  sources: ColumnSource[],
  from: string,
  line: string,
  pii: PiiKey,
  fingerprints: string,
): string {
  const key = (table.key ?? []).map((column) => `f.${quoteIdent(column)}`);
  return `create or replace temp table __fp as
select ${line} as __line, ${fingerprintSql(sources, pii)} as __fp, false as __unknown from ${from};
create or replace temp table __known as
select t.rowid as __ordinal, t.__line, t.__fp, ${key.join(", ")}
from __fp as t join ${fingerprints} as f on f.fingerprint = t.__fp;
update __fp as t set __unknown = true where not exists (select 1 from __known as k where k.__ordinal = t.rowid)`;
}

/**
 * The second pass's rows for stageSql: the file's rows, positionally joined to `__fp`, that
 * are unknown, with `__ordinal`, `__fp` and the line as `__pass_line`. The flag is a column of the joined
 * relation, not a join, which the optimizer could turn around and fill with the whole file.
 */
export function unknownRowsSql(from: string): string {
  // The file's own columns may include a __line (converted Excel and JSON lines files).
  return `(select file.*, pass.__ordinal, pass.__fp, pass.__line as __pass_line from ${from} as file
    positional join (select rowid as __ordinal, __line, __fp, __unknown from __fp) as pass
    where pass.__unknown)`;
}

/**
 * Creates the staging table `stage` from the parsed rows (the temp table `__parsed`) and the
 * known rows the duplicate checks must see (their key is a valid parsed row's, or the file
 * repeats their text), taken from `previous`; every row in file order, `__reused` telling which.
 */
export function deltaStageSql(table: ContractTable, stage: string, previous: string): string {
  const key = table.key ?? [];
  const same = (a: string, b: string) =>
    key.map((c) => `${a}.${quoteIdent(c)} = ${b}.${quoteIdent(c)}`).join(" and ");
  const columns = table.columns.map((column) => `p.${quoteIdent(column.name)}`);
  const problem = `null::struct(reason varchar, "column" varchar, value varchar)`;
  return `create or replace table ${stage} as
select * from (
    select *, false as __reused from __parsed
    union all by name
    select k.__ordinal, 0 as __file, k.__line, k.__fp, ${columns.join(", ")}, ${problem} as __problem,
        p.${quoteIdent(LOADED_AT)}, true as __reused
    from (
        select * from __known as k semi join __parsed as n on n.__problem is null and ${same("n", "k")}
        union
        select * from __known where __fp in (select __fp from __known group by 1 having count(*) > 1)
    ) as k join ${previous} as p on ${same("p", "k")}
) order by __ordinal;
drop table __parsed`;
}

/**
 * Applies the checked staging table to `target` and `fingerprints`: the previous rows whose
 * text the file no longer has, or whose every copy the duplicate checks rejected, are deleted
 * (counted in raw.row_deletions when no new version has their key); the new valid rows are
 * inserted, an unchanged one keeping the deleted equal row's `_loaded_at`. Drops the temp tables.
 */
export function applyDeltaSql(
  table: ContractTable,
  target: string,
  fingerprints: string,
  stage: string,
  now: string,
): string {
  const key = (table.key ?? []).map(quoteIdent);
  const same = (a: string, b: string) => key.map((c) => `${a}.${c} = ${b}.${c}`).join(" and ");
  const equal = table.columns
    .map((column) => `s.${quoteIdent(column.name)} is not distinct from d.${quoteIdent(column.name)}`)
    .join(" and ");
  const columns = table.columns.map((column) => quoteIdent(column.name));
  const loadedAt = quoteIdent(LOADED_AT);
  const fresh = "__problem is null and not __reused";
  return `create or replace temp table __dropped as
select p.* from ${target} as p semi join (
    select ${key.map((c) => `f.${c}`).join(", ")} from ${fingerprints} as f anti join __known as k on k.__fp = f.fingerprint
    union all
    select ${key.join(", ")} from ${stage} where __reused group by all having count(*) filter (where __problem is null) = 0
) as g on ${same("g", "p")};
update ${stage} as s set ${loadedAt} = d.${loadedAt} from __dropped as d
where s.__problem is null and not s.__reused and ${equal};
insert into raw.row_deletions
select ${quoteLiteral(table.name)}, count(*), timestamp ${quoteLiteral(now)}
from __dropped as d
where not exists (select 1 from ${stage} as s where s.__problem is null and not s.__reused and ${same("s", "d")})
having count(*) > 0;
delete from ${target} as p using __dropped as d where ${same("p", "d")};
delete from ${fingerprints} as f using __dropped as d where ${same("f", "d")};
insert into ${target} select ${columns.join(", ")}, ${loadedAt} from ${stage} where ${fresh} order by rowid;
insert into ${fingerprints} select __fp, ${key.join(", ")} from ${stage} where ${fresh};
drop table ${stage};
drop table __dropped;
drop table __known;
drop table __fp`;
}
