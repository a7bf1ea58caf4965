/**
 * Converts a JSON-lines file to a UTF-8 CSV with a leading `__line` column (the physical line of
 * each record). Numbers keep their source text, so an 18-digit id survives (JSON.parse would
 * round it to a double). A line that is not a JSON object is reported, not dropped.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { CsvWriter } from "./csvWriter.ts";
import type { ConvertedFile } from "./xlsxToCsv.ts";

type Reviver = (key: string, value: unknown, context?: { source?: string }) => unknown;

// Keeps the exact digits of numbers (JSON.parse source text access, Node 21+).
const keepNumberText: Reviver = (_key, value, context) =>
  typeof value === "number" && context?.source !== undefined ? context.source : value;

/** Two streaming passes: collect the keys, then write the rows. */
export async function jsonlToCsv(from: string, to: string): Promise<ConvertedFile> {
  const columns: string[] = [];
  const known = new Set<string>();
  const malformed: ConvertedFile["malformed"] = [];
  for await (const { line, record, error } of records(from)) {
    if (error) malformed.push({ line, reason: "bad_json", detail: error });
    for (const key of Object.keys(record ?? {})) {
      if (!known.has(key)) {
        known.add(key);
        columns.push(key);
      }
    }
  }
  const writer = new CsvWriter(to);
  await writer.row(["__line", ...columns]);
  for await (const { line, record } of records(from)) {
    if (!record) continue;
    await writer.row([String(line), ...columns.map((key) => fieldText(record[key]))]);
  }
  await writer.close();
  return { columns, malformed };
}

async function* records(
  path: string,
): AsyncGenerator<{ line: number; record?: Record<string, unknown>; error?: string }> {
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let number = 0;
  for await (const raw of lines) {
    number++;
    const text = number === 1 ? raw.replace(/^\uFEFF/, "") : raw;
    if (text.trim() === "") continue;
    try {
      const value = JSON.parse(text, keepNumberText as Parameters<typeof JSON.parse>[1]);
      if (value && typeof value === "object" && !Array.isArray(value)) {
        yield { line: number, record: value as Record<string, unknown> };
      } else yield { line: number, error: "the line is not a JSON object" };
    } catch (error) {
      yield { line: number, error: (error as Error).message };
    }
  }
}

function fieldText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
