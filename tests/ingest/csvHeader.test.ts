/** Header parsing, delimiter detection and encoding sniffing, on hand-written samples. */
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { parseHeader } from "../../src/ingest/csvHeader.ts";
import { sniffEncoding } from "../../src/ingest/encoding.ts";

describe("parseHeader", () => {
  it("reads quoted names holding the delimiter and trims spaces", () => {
    expect(parseHeader('"订单号","a,b", c \r\n1,2,3', "auto")).toEqual({
      columns: ["订单号", "a,b", "c"],
      delimiter: ",",
    });
  });

  it("detects tab, semicolon and pipe by count outside quotes", () => {
    expect(parseHeader("a\tb\tc\n", "auto").delimiter).toBe("\t");
    expect(parseHeader('"x,y";b;c\n', "auto").delimiter).toBe(";");
    expect(parseHeader("a|b\n", "auto").delimiter).toBe("|");
  });

  it("honours a declared delimiter and skips leading blank lines", () => {
    expect(parseHeader("\n\na;b,c\n", ",")).toEqual({ columns: ["a;b", "c"], delimiter: "," });
  });
});

describe("sniffEncoding", () => {
  const text = "订单号,下单时间\n交易成功\n";
  it("tells UTF-8 (with or without BOM) from GBK", () => {
    expect(sniffEncoding(Buffer.from(text, "utf8"), true)).toBe("utf-8");
    expect(sniffEncoding(Buffer.from(`\uFEFF${text}`, "utf8"), true)).toBe("utf-8");
    expect(sniffEncoding(iconv.encode(text, "gbk"), true)).toBe("gb18030");
  });

  it("does not mistake a sample cut inside a UTF-8 character for GBK", () => {
    const bytes = Buffer.from(text, "utf8");
    // "订" is 3 bytes: cut after its first byte.
    expect(sniffEncoding(bytes.subarray(0, 1), false)).toBe("utf-8");
    expect(sniffEncoding(bytes.subarray(0, 4), false)).toBe("utf-8");
  });
});
