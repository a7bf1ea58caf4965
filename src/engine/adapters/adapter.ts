/**
 * The one interface between huitou and a database. DuckDB (./duckdb.ts) is the only
 * implementation; everything else in the code base talks to this interface, so a test can
 * pass an in-memory warehouse and another engine could be added without touching callers.
 */

/** A cell as huitou sees it: numbers are numbers, dates and timestamps are shop-time strings. */
export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

/** Column name and the database's own spelling of its type (e.g. `DECIMAL(18,2)`). */
export interface Column {
  name: string;
  type: string;
}

export interface QueryResult {
  columns: Column[];
  rows: Row[];
}

/** A result as columns: `values[i]` holds the cells of `columns[i]`, one per row. */
export interface ColumnarResult {
  columns: Column[];
  values: Cell[][];
}

/** The column types a bulk write supports. */
export type ColumnType = "DOUBLE" | "INTEGER" | "BOOLEAN" | "VARCHAR";

/** One column of a bulk write; every column has the same number of values (null allowed). */
export interface ColumnData {
  name: string;
  type: ColumnType;
  values: ArrayLike<Cell>;
}

export interface Relation {
  schema: string;
  name: string;
  kind: "table" | "view";
}

/** Values bound to `$name` (object) or `?`/`$1` (array) placeholders. */
export type Params = Record<string, Cell> | Cell[];

export interface Adapter {
  /** Runs one or more statements and discards any result. */
  execute(sql: string, params?: Params): Promise<void>;
  /** Runs a query and returns its rows, converted deliberately (see Cell). */
  query(sql: string, params?: Params): Promise<QueryResult>;
  /** Creates or replaces `table` from a CSV, Parquet or JSON-lines file; returns rows loaded. */
  loadFile(table: string, path: string, options?: LoadOptions): Promise<number>;
  /** Tables and views outside the system schemas. */
  listRelations(): Promise<Relation[]>;
  /**
   * The same as `query`, column by column: far faster for the hundreds of thousands of rows a
   * statistical fit reads. Optional, like `connect`; TypeScript models fall back to `query`.
   */
  queryColumns?(sql: string, params?: Params): Promise<ColumnarResult>;
  /**
   * Creates or replaces `table` (schema main, or a temporary table of this connection) with
   * these columns, written in bulk; returns the rows written. Optional, like `connect`.
   */
  writeColumns?(table: string, columns: ColumnData[], options?: { temporary?: boolean }): Promise<number>;
  /**
   * Another connection to the same database, for statements that run concurrently (the engine
   * builds independent models in parallel). Closing it leaves this one open. Optional: without
   * it the engine runs one statement at a time.
   */
  connect?(): Promise<Adapter>;
  /** Closes this connection (and the database, when this is the connection that opened it). */
  close(): Promise<void>;
}

export interface LoadOptions {
  format?: "csv" | "parquet" | "json";
  /** Extra reader options, passed as `key = value` to read_csv / read_parquet / read_json. */
  readerOptions?: Record<string, string | number | boolean>;
}

export interface OpenOptions {
  readOnly?: boolean;
  /** Worker threads; DuckDB's default is the number of cores. */
  threads?: number;
  memoryLimit?: string;
}

/** Quotes an identifier for SQL: `"my ""odd"" name"`. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for SQL: `'it''s'`. */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
