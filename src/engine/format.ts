/**
 * Query results as text: JSON (the contract of `huitou query --format json`: an array of row
 * objects, numbers as numbers, NaN and infinities as null), CSV (RFC 4180) and an aligned table
 * for people. Pure.
 */
import type { Cell, QueryResult } from "./adapters/adapter.ts";

export type Format = "json" | "csv" | "table";

export function formatResult(result: QueryResult, format: Format): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(result.rows.map((row) => jsonRow(result, row)))}\n`;
    case "csv":
      return formatCsv(result);
    case "table":
      return formatTable(result);
  }
}

function jsonRow(result: QueryResult, row: Record<string, Cell>): Record<string, Cell> {
  const out: Record<string, Cell> = {};
  for (const { name } of result.columns) {
    const value = row[name] ?? null;
    out[name] = typeof value === "number" && !Number.isFinite(value) ? null : value;
  }
  return out;
}

function csvField(value: Cell): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function formatCsv(result: QueryResult): string {
  const lines = [result.columns.map((column) => csvField(column.name)).join(",")];
  for (const row of result.rows)
    lines.push(result.columns.map((column) => csvField(row[column.name] ?? null)).join(","));
  return `${lines.join("\n")}\n`;
}

/** An aligned text table; numbers right-aligned, null shown as `null`. */
export function formatTable(result: QueryResult): string {
  const names = result.columns.map((column) => column.name);
  const cells = result.rows.map((row) =>
    names.map((name) => (row[name] === null ? "null" : String(row[name]))),
  );
  const numeric = names.map(
    (name) =>
      result.rows.some((row) => typeof row[name] === "number") &&
      result.rows.every((row) => row[name] === null || typeof row[name] === "number"),
  );
  const widths = names.map((name, i) =>
    Math.max(name.length, ...cells.map((line) => (line[i] as string).length)),
  );
  const pad = (text: string, i: number) =>
    numeric[i] ? text.padStart(widths[i] as number) : text.padEnd(widths[i] as number);
  const lines = [
    names.map(pad).join(" | ").trimEnd(),
    widths.map((width) => "-".repeat(width)).join("-+-"),
    ...cells.map((line) => line.map(pad).join(" | ").trimEnd()),
  ];
  const count = result.rows.length;
  lines.push(`(${count} ${count === 1 ? "row" : "rows"})`);
  return `${lines.join("\n")}\n`;
}
