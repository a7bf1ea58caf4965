import { describe, expect, it } from "vitest";
import { fieldPosition } from "../../src/engine/seeds.ts";

describe("fieldPosition", () => {
  const csv = 'sku,name,price\na1,"Tea, green",12.00\na2,"Cup\nlarge",3.50\na3,Pot,twelve\n';
  it("finds a field's line and column, quotes and embedded newlines included", () => {
    // Record 1 field 2 (price of a1): line 2, after `a1,"Tea, green",` (16 characters): column 17.
    expect(fieldPosition(csv, ",", 1, 2)).toEqual({ line: 2, column: 17 });
    // Record 2's quoted name spans lines 3-4, so record 3 (a3) starts on line 5;
    // its price follows `a3,Pot,` (7 characters): column 8.
    expect(fieldPosition(csv, ",", 3, 2)).toEqual({ line: 5, column: 8 });
    // Record 2 field 2: line 4, after `large",` (7 characters): column 8.
    expect(fieldPosition(csv, ",", 2, 2)).toEqual({ line: 4, column: 8 });
  });

  it("reads CRLF line ends and other delimiters", () => {
    expect(fieldPosition("a;b\r\nx;y\r\n", ";", 1, 1)).toEqual({ line: 2, column: 3 });
  });
});
