import { describe, expect, it } from "vitest";
import { generated } from "../../src/engine/lineMap.ts";
import { parseDatabaseError, sqlError } from "../../src/engine/sqlError.ts";

describe("parseDatabaseError", () => {
  it("reads DuckDB's LINE excerpt and caret", () => {
    // As DuckDB 1.5 words it (checked in a session): the caret sits under `tripeld`.
    const message =
      'Binder Error: Referenced column "tripeld" not found in FROM clause!\nCandidate bindings: "doubled"\n\nLINE 3: where n > 0 and tripeld > 3\n                        ^';
    const statement = "create table x as\nselect n\nwhere n > 0 and tripeld > 3";
    expect(parseDatabaseError(message, statement)).toEqual({
      message:
        'Binder Error: Referenced column "tripeld" not found in FROM clause!\nCandidate bindings: "doubled"',
      // `LINE 3: ` is 8 characters; the caret is at index 24, so 16 into the line: column 17.
      position: { line: 3, column: 17 },
    });
  });

  it("finds the column in a long line DuckDB shortened with ...", () => {
    const line = `select ${"a, ".repeat(40)}nope from t`;
    const at = line.indexOf("nope");
    const excerpt = `...${line.slice(at - 20, at + 15)}...`;
    const message = `Binder Error: nope\n\nLINE 1: ${excerpt}\n${" ".repeat(8 + 3 + 20)}^`;
    expect(parseDatabaseError(message, line).position).toEqual({ line: 1, column: at + 1 });
  });

  it("keeps a message without position as it is", () => {
    expect(parseDatabaseError("Binder Error: Cannot mix values", "select 1")).toEqual({
      message: "Binder Error: Cannot mix values",
      position: undefined,
    });
  });
});

describe("sqlError", () => {
  it("blames the fallback file when the position is on a generated line", () => {
    const error = sqlError(
      new Error('Parser Error: syntax error at or near "x"\n\nLINE 1: x\n        ^'),
      generated("x"),
      new Map(),
      { file: "models/m.sql" },
    );
    expect(error.location).toEqual({ file: "models/m.sql" });
    expect(error.message).toBe('Parser Error: syntax error at or near "x"');
  });
});
