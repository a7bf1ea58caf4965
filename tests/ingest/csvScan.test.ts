/**
 * The quote-aware scans that give rejected CSV rows their physical line. Expected lines are
 * counted by hand from the file text in each test.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanCsv, scanCsvLines } from "../../src/ingest/csvScan.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "huitou-scan-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(text: string): Promise<string> {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(path, text);
  return path;
}

// line 1 header; 2-3 record a (quoted newline); 4 blank; 5 b; 6-8 c ("" escape, two newlines); 9 d
const TRICKY = 'id,text\r\na,"x\r\ny"\r\n\r\nb,plain\r\nc,"say ""hi""\nline\nend"\nd,"q,uoted"';

describe("scanCsv", () => {
  it("finds the line of every record through quoted newlines, blank lines and CRLF", async () => {
    const scan = await scanCsv(await file(TRICKY), ",");
    expect(Array.from(scan.lines.subarray(0, scan.records))).toEqual([2, 5, 6, 9]);
    expect(scan.malformed).toEqual([]);
  });

  it("names malformed records: field counts, text after a quote, an unclosed quote", async () => {
    // 1 header; 2 ok; 3 three fields; 4 one field; 5 "x"y; 6 ok; 7 unclosed to the end
    const text = 'a,b\n1,2\n1,2,3\n1\n"x"y,2\n5,6\n"open,7\n8,9\n';
    const scan = await scanCsv(await file(text), ",");
    expect(Array.from(scan.lines.subarray(0, scan.records))).toEqual([2, 6]);
    expect(scan.malformed.map((one) => [one.line, one.reason])).toEqual([
      [3, "wrong_field_count"],
      [4, "wrong_field_count"],
      [5, "bad_quoting"],
      [7, "bad_quoting"],
    ]);
  });
});

describe("scanCsvLines", () => {
  it("agrees with the full scan on well-formed files", async () => {
    const scan = await scanCsvLines(await file(TRICKY));
    expect(Array.from(scan.lines.subarray(0, scan.records))).toEqual([2, 5, 6, 9]);
  });

  it("handles a quoted field cut across read chunks of 16 MiB", async () => {
    // 20 MiB of filler records, then a record whose quoted newline straddles no matter where.
    const filler = "x,y\n".repeat(5 * 1024 * 1024);
    const scan = await scanCsvLines(await file(`a,b\n${filler}"q\nq",z\nlast,1\n`));
    const records = 5 * 1024 * 1024 + 2;
    expect(scan.records).toBe(records);
    // filler record k (1-based) is on line k + 1; the quoted record follows, two lines long.
    expect(scan.lines[records - 2]).toBe(5 * 1024 * 1024 + 2);
    expect(scan.lines[records - 1]).toBe(5 * 1024 * 1024 + 4);
  });
});
