/**
 * Writes RFC 4180 CSV (comma, `"` quoting) to a file with backpressure: the common target of
 * the Excel and JSON-lines converters, so DuckDB reads every input through one CSV path.
 */

import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";

/** Quotes a field when it holds a comma, quote, line break or edge whitespace. Pure. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export class CsvWriter {
  readonly #stream: WriteStream;
  #buffer: string[] = [];
  #size = 0;

  constructor(path: string) {
    this.#stream = createWriteStream(path, { encoding: "utf8" });
  }

  async row(fields: string[]): Promise<void> {
    const line = `${fields.map(csvField).join(",")}\n`;
    this.#buffer.push(line);
    this.#size += line.length;
    if (this.#size > 1 << 16) await this.#flush();
  }

  async close(): Promise<void> {
    await this.#flush();
    this.#stream.end();
    await once(this.#stream, "finish");
  }

  async #flush(): Promise<void> {
    const text = this.#buffer.join("");
    this.#buffer = [];
    this.#size = 0;
    if (!this.#stream.write(text)) await once(this.#stream, "drain");
  }
}
