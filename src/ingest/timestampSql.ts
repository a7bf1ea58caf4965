/**
 * SQL that turns a timestamp as exports write it into naive shop time: `YYYY-MM-DD`,
 * `YYYY-MM-DD HH:MM[:SS[.fff]]`, `YYYY/M/D [H:MM[:SS]]`, `YYYY.M.D`, ISO 8601 with `T`, and ISO
 * 8601 with an offset or `Z`, which is converted to the shop's zone (DuckDB's plain cast would
 * silently drop the offset). Anything else is NULL, which the caller reports as unparseable.
 */
import { quoteLiteral } from "../engine/adapters/adapter.ts";

const SLASH_FORMATS = [
  "%Y/%m/%d %H:%M:%S",
  "%Y/%m/%d %H:%M",
  "%Y/%m/%d",
  "%Y.%m.%d %H:%M:%S",
  "%Y.%m.%d %H:%M",
  "%Y.%m.%d",
  "%Y-%m-%d %H:%M",
];

/** A TIMESTAMP expression (NULL when unparseable) for the text expression `value`. Pure. */
export function timestampSql(value: string, timezone: string): string {
  const formats = `[${SLASH_FORMATS.map(quoteLiteral).join(", ")}]`;
  // The offset test only runs on values longer than `YYYY-MM-DD HH:MM:SS`, keeping the common path cheap.
  return `case
        when length(${value}) > 19 and regexp_matches(${value}, '([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$')
            then timezone(${quoteLiteral(timezone)}, try_cast(${value} as timestamptz))
        else coalesce(try_cast(${value} as timestamp), try_strptime(${value}, ${formats}))
    end`;
}
