/**
 * Text encodings of CSV exports: UTF-8 with or without BOM, or GB18030 (a superset of GBK and
 * GB2312, what Chinese Excel and mall back offices write). A GB18030 file is converted to a
 * UTF-8 temporary file by streaming through iconv-lite; line breaks are kept, so line numbers
 * in the converted file are those of the original.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { open } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import iconv from "iconv-lite";

const SAMPLE_BYTES = 1 << 20;

/** `utf-8` when the first megabyte is valid UTF-8 (or starts with a BOM), else `gb18030`. */
export async function detectEncoding(path: string): Promise<"utf-8" | "gb18030"> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    return sniffEncoding(buffer.subarray(0, bytesRead), bytesRead < SAMPLE_BYTES);
  } finally {
    await handle.close();
  }
}

/** Decides from a sample; `complete` says the sample is the whole file. Pure. */
export function sniffEncoding(sample: Uint8Array, complete: boolean): "utf-8" | "gb18030" {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return "utf-8";
  // A sample cut mid-character is still UTF-8: drop up to three trailing bytes of a partial one.
  let end = sample.length;
  if (!complete) {
    let back = 0;
    while (back < 3 && end - back > 0 && (sample[end - back - 1]! & 0xc0) === 0x80) back++;
    if (end - back > 0 && (sample[end - back - 1]! & 0xc0) === 0xc0) end -= back + 1;
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sample.subarray(0, end));
    return "utf-8";
  } catch {
    return "gb18030";
  }
}

/** Streams `from` (GB18030) into `to` as UTF-8. */
export async function convertToUtf8(from: string, to: string): Promise<void> {
  await pipeline(
    createReadStream(from),
    iconv.decodeStream("gb18030"),
    iconv.encodeStream("utf8"),
    createWriteStream(to),
  );
}
