/**
 * A streaming, quote-aware pass over a CSV file that finds where each record starts: the
 * physical line of every data record (counting the header, blank lines and newlines inside
 * quoted fields), and the malformed records DuckDB's reader skips (wrong number of fields, text
 * after a closing quote, a quote never closed). DuckDB gives rows in file order but no line
 * numbers, so this pass maps its row ordinals back to lines. RFC 4180 quoting: `"` quotes, `""`
 * escapes. Used only when a file has rejects, so a clean 10-million-row load never pays for it.
 */
import { createReadStream } from "node:fs";

export interface MalformedRecord {
  line: number;
  /** `wrong_field_count` or `bad_quoting`. */
  reason: string;
  detail: string;
}

export interface CsvScan {
  /** Physical line (1-based) where data record i (0-based, malformed ones excluded) starts. */
  lines: Int32Array;
  /** Number of entries of `lines` in use. */
  records: number;
  malformed: MalformedRecord[];
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Scans `path` with a one-byte `delimiter`; the first record is the header. */
export async function scanCsv(path: string, delimiter: string): Promise<CsvScan> {
  const delim = delimiter.charCodeAt(0);
  const scan = new Scanner(delim);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    scan.push(chunk as Buffer);
  }
  scan.end();
  return scan.result();
}

type State = "fieldStart" | "unquoted" | "quoted" | "quoteInQuoted";

class Scanner {
  readonly #delim: number;
  #state: State = "fieldStart";
  #line = 1;
  #recordLine = 1;
  #fields = 1;
  #empty = true;
  #badQuote = false;
  #headerFields = -1;
  #lines = new Int32Array(1024);
  #records = 0;
  readonly #malformed: MalformedRecord[] = [];

  constructor(delim: number) {
    this.#delim = delim;
  }

  push(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      switch (this.#state) {
        case "quoted":
          if (byte === QUOTE) this.#state = "quoteInQuoted";
          else if (byte === LF) this.#line++;
          continue;
        case "quoteInQuoted":
          if (byte === QUOTE) {
            this.#state = "quoted";
            continue;
          }
          this.#state = "unquoted";
          if (byte !== this.#delim && byte !== LF && byte !== CR) this.#badQuote = true;
          break;
        case "fieldStart":
          if (byte === QUOTE) {
            this.#state = "quoted";
            this.#empty = false;
            continue;
          }
          this.#state = "unquoted";
          break;
        case "unquoted":
          break;
      }
      // Unquoted context: delimiters and newlines end fields and records.
      if (byte === this.#delim) {
        this.#fields++;
        this.#empty = false;
        this.#state = "fieldStart";
      } else if (byte === LF) {
        this.#endRecord();
        this.#line++;
        this.#recordLine = this.#line;
      } else if (byte !== CR) {
        this.#empty = false;
      }
    }
  }

  end(): void {
    if (this.#state === "quoted") {
      this.#malformed.push({
        line: this.#recordLine,
        reason: "bad_quoting",
        detail: "a quoted field is never closed",
      });
      return;
    }
    this.#endRecord();
  }

  #endRecord(): void {
    const empty = this.#empty && this.#fields === 1;
    const fields = this.#fields;
    const badQuote = this.#badQuote;
    this.#fields = 1;
    this.#empty = true;
    this.#badQuote = false;
    this.#state = "fieldStart";
    if (empty) return; // blank lines are skipped, as DuckDB's reader does
    if (this.#headerFields < 0) {
      this.#headerFields = fields;
      return;
    }
    if (badQuote) {
      this.#malformed.push({
        line: this.#recordLine,
        reason: "bad_quoting",
        detail: "text after a closing quote",
      });
    } else if (fields !== this.#headerFields) {
      this.#malformed.push({
        line: this.#recordLine,
        reason: "wrong_field_count",
        detail: `${fields} fields, the header has ${this.#headerFields}`,
      });
    } else {
      if (this.#records === this.#lines.length) {
        const grown = new Int32Array(this.#lines.length * 2);
        grown.set(this.#lines);
        this.#lines = grown;
      }
      this.#lines[this.#records++] = this.#recordLine;
    }
  }

  result(): CsvScan {
    return {
      lines: this.#lines,
      records: this.#records,
      malformed: this.#malformed,
    };
  }
}

/**
 * The fast path of `scanCsv` for files DuckDB read without a malformed record: only record
 * starts are needed, found with native `indexOf` jumps from newline to newline, stepping
 * through quoted fields where a quote comes first. Several times faster than the byte loop.
 */
export async function scanCsvLines(path: string): Promise<CsvScan> {
  let lines = new Int32Array(1024);
  let records = 0;
  let line = 1;
  let header = true;
  let carry: Buffer = Buffer.alloc(0);
  const push = (start: number) => {
    if (header) {
      header = false;
      return;
    }
    if (records === lines.length) {
      const grown = new Int32Array(lines.length * 2);
      grown.set(lines);
      lines = grown;
    }
    lines[records++] = start;
  };
  const consume = (buffer: Buffer, final: boolean): number => {
    let position = 0;
    // The next quote at or after the cursor, searched again only once passed (-1: none left).
    let nextQuote = -2;
    const quoteFrom = (cursor: number) => {
      if (nextQuote === -2 || (nextQuote !== -1 && nextQuote < cursor))
        nextQuote = buffer.indexOf(QUOTE, cursor);
      return nextQuote;
    };
    while (position < buffer.length) {
      const recordLine = line;
      let cursor = position;
      let newlines = 0;
      let end = -1;
      // Walk to the newline that ends this record, skipping newlines inside quotes.
      while (true) {
        const lf = buffer.indexOf(LF, cursor);
        const quote = quoteFrom(cursor);
        if (quote !== -1 && (lf === -1 || quote < lf)) {
          const close = closingQuote(buffer, quote + 1);
          if (close === -1) break;
          newlines += countNewlines(buffer, quote + 1, close);
          cursor = close + 1;
          continue;
        }
        end = lf;
        break;
      }
      if (end === -1 && !final) return position;
      const stop = end === -1 ? buffer.length : end;
      const blank = stop === position || (stop === position + 1 && buffer[position] === CR);
      if (!blank) push(recordLine);
      line += newlines + (end === -1 ? 0 : 1);
      position = end === -1 ? buffer.length : end + 1;
    }
    return position;
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 24 })) {
    const buffer = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const used = consume(buffer, false);
    carry = buffer.subarray(used);
  }
  consume(carry, true);
  return { lines, records, malformed: [] };
}

function closingQuote(buffer: Buffer, from: number): number {
  let cursor = from;
  while (true) {
    const quote = buffer.indexOf(QUOTE, cursor);
    if (quote === -1) return -1;
    if (buffer[quote + 1] === QUOTE) {
      cursor = quote + 2;
      continue;
    }
    // A quote at the very end of the buffer may be the first of an escaped pair: undecided.
    if (quote + 1 === buffer.length) return -1;
    return quote;
  }
}

function countNewlines(buffer: Buffer, from: number, to: number): number {
  let count = 0;
  let cursor = buffer.indexOf(LF, from);
  while (cursor !== -1 && cursor < to) {
    count++;
    cursor = buffer.indexOf(LF, cursor + 1);
  }
  return count;
}
