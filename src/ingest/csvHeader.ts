/**
 * Reads a CSV file's header record and picks its delimiter, from the first bytes only. The
 * header is parsed here rather than by DuckDB's sniffer so that every column can be read as
 * text with an explicit schema, and so a missing column is reported before any row is read.
 */
import { open } from "node:fs/promises";

const CANDIDATES = [",", "\t", ";", "|"];
const HEAD_BYTES = 1 << 18;

export interface CsvHeader {
  columns: string[];
  delimiter: string;
}

/** The header of a UTF-8 CSV file; `delimiter` "auto" picks the most frequent candidate. */
export async function readCsvHeader(path: string, delimiter: string): Promise<CsvHeader> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    const text = buffer
      .subarray(0, bytesRead)
      .toString("utf8")
      .replace(/^\uFEFF/, "");
    return parseHeader(text, delimiter);
  } finally {
    await handle.close();
  }
}

/** Parses the first non-blank record of `text`. Pure. */
export function parseHeader(text: string, delimiter: string): CsvHeader {
  const start = text.search(/[^\r\n]/);
  const body = start < 0 ? "" : text.slice(start);
  const chosen = delimiter === "auto" ? detectDelimiter(firstLine(body)) : delimiter;
  const columns: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  for (; i < body.length; i++) {
    const char = body[i]!;
    if (quoted) {
      if (char === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === "") quoted = true;
    else if (char === chosen) {
      columns.push(field.trim());
      field = "";
    } else if (char === "\n" || char === "\r") break;
    else field += char;
  }
  if (body.length > 0) columns.push(field.trim());
  return { columns, delimiter: chosen };
}

function firstLine(text: string): string {
  const end = text.search(/\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}

function detectDelimiter(line: string): string {
  const unquoted = line.replace(/"(?:[^"]|"")*"/g, "");
  let best = ",";
  let bestCount = 0;
  for (const candidate of CANDIDATES) {
    const count = unquoted.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}
