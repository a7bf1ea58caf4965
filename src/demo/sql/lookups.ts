/**
 * Constant lists that a query indexes per row (a product's launch day, a day's promotion, a
 * shelf-price bucket, a categorical draw), held as the columns of a one-row table that the
 * query cross-joins. DuckDB rebuilds a list literal for every 2,048-row vector and every place
 * it is written (a 5,000-entry list: about 60 ns a row, five times a lookup's own cost); the
 * cross join copies each column once per vector, so the lists are kept compact (a draw table
 * holds a byte per 16-bit uniform). A cross join with one row keeps the order of the other
 * side: each of its vectors passes through whole.
 */
import type { Mix } from "../parameters.ts";
import { pickTable } from "../random.ts";

export interface Lookups {
  /**
   * Registers a list (SQL literals, NULL for null) under a name and returns the SQL reading
   * entry `index` (1-based) of it; the same name with the same values is registered once.
   */
  list(name: string, values: readonly (string | number | null)[], type: string): (index: string) => string;
  /** Registers a list computed by a scalar SQL expression (e.g. random.ts pickTable()). */
  computed(name: string, sql: string): (index: string) => string;
  /** SQL creating `table` with one row: one column per registered list. */
  tableSql(table: string): string;
}

/**
 * Registers the categorical draw `pick(u, mix)` for 16-bit uniforms (random.ts pickTable: the
 * position drawn, one byte per uniform, and the values) and returns the SQL of the value drawn
 * for a `quarterIndex()`. `literal` spells a value in SQL (quoted for text).
 */
export function pickLookup(
  lookups: Lookups,
  name: string,
  mix: Mix,
  type: string,
  literal: (value: string) => string = (value) => value,
): (index: string) => string {
  const positions = lookups.computed(`${name}_draws`, pickTable(mix));
  const values = lookups.list(`${name}_values`, Object.keys(mix).map(literal), type);
  return (index) => values(positions(index));
}

/** A registry of lookup lists; their columns are named `lookup_<name>`. */
export function createLookups(): Lookups {
  const lists = new Map<string, string>();
  const register = (name: string, sql: string) => {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`invalid lookup name: ${name}`);
    const known = lists.get(name);
    if (known !== undefined && known !== sql) throw new Error(`invalid lookup: ${name} registered twice`);
    lists.set(name, sql);
    return (index: string) => `lookup_${name}[${index}]`;
  };
  return {
    list(name, values, type) {
      if (values.length === 0) throw new Error(`invalid lookup: ${name} is empty`);
      return register(name, `[${values.map((value) => value ?? "NULL").join(", ")}]::${type}[]`);
    },
    computed: register,
    tableSql(table) {
      if (lists.size === 0) throw new Error("invalid lookups: none registered");
      const columns = [...lists].map(([name, sql]) => `${sql} as lookup_${name}`);
      return `create or replace table ${table} as select ${columns.join(",\n    ")}`;
    },
  };
}
