/**
 * Maps a file's headers onto the contract's columns: the source's `load.columns` first
 * (`paid_amount: 实付金额`), else the contract name itself, matched exactly and then ignoring
 * case and surrounding spaces. Headers that map to nothing are ignored (and never loaded: a
 * mall export's receiver name, address and phone stay out of the warehouse). Pure.
 */
import { errors, type HuitouError, HuitouErrors, type Location } from "../errors.ts";
import type { ContractTable } from "./contract.ts";
import type { ColumnSource } from "./stageSql.ts";

/** The source of every contract column, or all the missing-column errors of the file. */
export function mapColumns(
  table: ContractTable,
  mapping: Record<string, string>,
  headers: string[],
  expression: (header: string) => string,
  location: Location,
): ColumnSource[] {
  const problems: HuitouError[] = [];
  const sources = table.columns.map((column): ColumnSource => {
    const wanted = mapping[column.name];
    const header = find(headers, wanted ?? column.name);
    if (header !== undefined) return { column, expression: expression(header) };
    if (wanted !== undefined || column.required) {
      const column1 = { ...location, line: 1, column: 1 };
      problems.push(errors.missingColumn(table.name, column.name, column1, wanted));
    }
    return { column, expression: null };
  });
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new HuitouErrors(problems);
  return sources;
}

function find(headers: string[], name: string): string | undefined {
  if (headers.includes(name)) return name;
  const folded = name.trim().toLowerCase();
  return headers.find((header) => header.trim().toLowerCase() === folded);
}
