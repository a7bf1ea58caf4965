/**
 * The DuckDB adapter: the only module that imports @duckdb/node-api.
 * Results are read with DuckDB's JSON conversion and then made deliberate: BIGINT, HUGEINT and
 * DECIMAL arrive as strings there and become numbers here; timestamps lose their fraction so
 * they read `YYYY-MM-DD HH:MM:SS` (the contract of `huitou query`).
 */
import {
  BOOLEAN,
  DOUBLE,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
  INTEGER,
  VARCHAR,
} from "@duckdb/node-api";
import type {
  Adapter,
  Cell,
  Column,
  ColumnarResult,
  ColumnData,
  ColumnType,
  LoadOptions,
  OpenOptions,
  Params,
  QueryResult,
  Relation,
  Row,
} from "./adapter.ts";
import { quoteIdent, quoteLiteral } from "./adapter.ts";

const NUMERIC_FROM_STRING = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.DECIMAL,
  DuckDBTypeId.BIGNUM,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
]);

const COLUMN_TYPES: Record<ColumnType, DuckDBType> = { DOUBLE, INTEGER, BOOLEAN, VARCHAR };

// DuckDB's vector size: the appender takes data chunks of at most this many rows.
const CHUNK_ROWS = 2048;

const TIMESTAMPS = new Set<DuckDBTypeId>([
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
]);

/** Opens (or creates) a DuckDB database file; `:memory:` for an in-memory one. */
export async function openDuckDB(path: string, options: OpenOptions = {}): Promise<Adapter> {
  const config: Record<string, string> = {};
  if (options.readOnly) config.access_mode = "READ_ONLY";
  if (options.threads) config.threads = String(options.threads);
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  const instance = await DuckDBInstance.create(path, config);
  const connection = await instance.connect();
  return new DuckDBAdapter(instance, connection);
}

class DuckDBAdapter implements Adapter {
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;
  /** Whether closing this adapter closes the database too (only the one openDuckDB made). */
  readonly #owner: boolean;

  constructor(instance: DuckDBInstance, connection: DuckDBConnection, owner = true) {
    this.#instance = instance;
    this.#connection = connection;
    this.#owner = owner;
  }

  async connect(): Promise<Adapter> {
    return new DuckDBAdapter(this.#instance, await this.#instance.connect(), false);
  }

  async execute(sql: string, params?: Params): Promise<void> {
    await this.#connection.run(sql, toDuckParams(params));
  }

  async query(sql: string, params?: Params): Promise<QueryResult> {
    const reader = await this.#connection.runAndReadAll(sql, toDuckParams(params));
    const names = reader.columnNames();
    const types = reader.columnTypes();
    const columns: Column[] = names.map((name, i) => ({ name, type: String(types[i]) }));
    const rows = reader.getRowObjectsJson().map((json) => {
      const row: Row = {};
      names.forEach((name, i) => {
        row[name] = toCell(json[name], types[i] as DuckDBType);
      });
      return row;
    });
    return { columns, rows };
  }

  async queryColumns(sql: string, params?: Params): Promise<ColumnarResult> {
    const reader = await this.#connection.runAndReadAll(sql, toDuckParams(params));
    const types = reader.columnTypes();
    const columns: Column[] = reader.columnNames().map((name, i) => ({ name, type: String(types[i]) }));
    const json = reader.getColumnsJson();
    // Without rows DuckDB returns no column arrays at all: every column is then empty.
    const values = columns.map((_, i) =>
      (json[i] ?? []).map((value) => toCell(value, types[i] as DuckDBType)),
    );
    return { columns, values };
  }

  async writeColumns(
    table: string,
    columns: ColumnData[],
    options: { temporary?: boolean } = {},
  ): Promise<number> {
    const rows = columns[0]?.values.length ?? 0;
    if (columns.some((column) => column.values.length !== rows)) {
      throw new Error(`invalid columns for ${table}: lengths differ`);
    }
    const definition = columns.map((column) => `${quoteIdent(column.name)} ${column.type}`).join(", ");
    const create = options.temporary ? "create or replace temp table" : "create or replace table main.";
    await this.execute(`${create}${options.temporary ? " " : ""}${quoteIdent(table)} (${definition})`);
    const appender = await this.#connection.createAppender(table, "main", options.temporary ? "temp" : null);
    try {
      const types = columns.map((column) => COLUMN_TYPES[column.type]);
      for (let start = 0; start < rows; start += CHUNK_ROWS) {
        const end = Math.min(rows, start + CHUNK_ROWS);
        const chunk = DuckDBDataChunk.create(types, end - start);
        columns.forEach((column, j) => {
          const vector = chunk.getColumnVector(j);
          for (let row = start; row < end; row++)
            vector.setItem(row - start, column.values[row] as DuckDBValue);
          vector.flush();
        });
        appender.appendDataChunk(chunk);
      }
    } finally {
      appender.closeSync();
    }
    return rows;
  }

  async loadFile(table: string, path: string, options: LoadOptions = {}): Promise<number> {
    const format = options.format ?? formatOf(path);
    const reader = { csv: "read_csv", parquet: "read_parquet", json: "read_json" }[format];
    const extra = Object.entries(options.readerOptions ?? {})
      .map(([key, value]) => `, ${key} = ${typeof value === "string" ? quoteLiteral(value) : value}`)
      .join("");
    await this.execute(
      `create or replace table ${quoteIdent(table)} as select * from ${reader}(${quoteLiteral(path)}${extra})`,
    );
    const { rows } = await this.query(`select count(*) as n from ${quoteIdent(table)}`);
    return Number(rows[0]?.n ?? 0);
  }

  async listRelations(): Promise<Relation[]> {
    const { rows } = await this.query(
      `select schema_name as schema, table_name as name, 'table' as kind from duckdb_tables() where not internal and database_name = current_database()
       union all
       select schema_name, view_name, 'view' from duckdb_views() where not internal and database_name = current_database()
       order by 1, 2`,
    );
    return rows.map((row) => ({
      schema: String(row.schema),
      name: String(row.name),
      kind: row.kind === "view" ? "view" : "table",
    }));
  }

  async close(): Promise<void> {
    this.#connection.closeSync();
    if (this.#owner) this.#instance.closeSync();
  }
}

function formatOf(path: string): "csv" | "parquet" | "json" {
  if (/\.parquet$/i.test(path)) return "parquet";
  if (/\.(jsonl|ndjson|json)$/i.test(path)) return "json";
  return "csv";
}

function toDuckParams(params?: Params): Record<string, DuckDBValue> | DuckDBValue[] | undefined {
  return params as Record<string, DuckDBValue> | DuckDBValue[] | undefined;
}

function toCell(value: unknown, type: DuckDBType): Cell {
  if (value === null || value === undefined) return null;
  // NaN and ±Infinity doubles arrive as text too; as numbers they print as JSON null.
  if (NUMERIC_FROM_STRING.has(type.typeId) && typeof value === "string") return Number(value);
  if (TIMESTAMPS.has(type.typeId) && typeof value === "string") return value.slice(0, 19);
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return value;
  }
  // Lists, structs and maps: their JSON text, so a cell is always printable.
  return JSON.stringify(value);
}
