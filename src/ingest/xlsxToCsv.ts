/**
 * Converts one worksheet of an `.xlsx` workbook to a UTF-8 CSV with a leading `__line` column
 * holding the Excel row number, streaming with exceljs's WorkbookReader so a large export never
 * sits in memory. Dates become `YYYY-MM-DD HH:MM:SS` (Excel dates carry no zone: they are shop
 * time already); rich text, formulas and hyperlinks become their text or result.
 */
import ExcelJS from "exceljs";
import { CsvWriter } from "./csvWriter.ts";

export interface ConvertedFile {
  /** Headers of the original file, in order (without `__line`). */
  columns: string[];
  /** Lines (rows) the converter could not read; none for Excel. */
  malformed: { line: number; reason: string; detail: string }[];
}

/** Writes sheet `sheet` (name or 1-based index; default the first) of `from` to `to`. */
export async function xlsxToCsv(from: string, to: string, sheet?: string | number): Promise<ConvertedFile> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(from, {
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "ignore",
  });
  const writer = new CsvWriter(to);
  let columns: string[] | undefined;
  let index = 0;
  let found = false;
  try {
    for await (const worksheet of reader) {
      index++;
      const wanted =
        !found &&
        (sheet === undefined ||
          (typeof sheet === "number" && sheet === index) ||
          (typeof sheet === "string" && (worksheet as { name?: string }).name === sheet));
      for await (const row of worksheet) {
        if (!wanted) continue;
        const values = (row.values as unknown[]).slice(1).map(cellText);
        if (values.every((value) => value === "")) continue;
        if (!columns) {
          columns = values.map((value) => value.trim());
          await writer.row(["__line", ...columns]);
          continue;
        }
        const fields = columns.map((_, i) => values[i] ?? "");
        await writer.row([String(row.number), ...fields]);
      }
      if (wanted) found = true;
    }
  } finally {
    if (!columns) await writer.row(["__line"]);
    await writer.close();
  }
  if (!found) throw new Error(`no worksheet ${JSON.stringify(sheet)}`);
  return { columns: columns ?? [], malformed: [] };
}

/** The text of a cell value as exceljs gives it. Pure. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 19).replace("T", " ");
  if (typeof value === "number") return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === "string" || typeof value === "boolean") return String(value);
  if (typeof value === "object") {
    const cell = value as Record<string, unknown>;
    if (Array.isArray(cell.richText))
      return cell.richText.map((part: { text?: string }) => part.text ?? "").join("");
    if ("result" in cell) return cellText(cell.result);
    if ("formula" in cell || "sharedFormula" in cell) return "";
    if (typeof cell.text === "string") return cell.text;
    if (typeof cell.error === "string") return cell.error;
  }
  return String(value);
}
