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
