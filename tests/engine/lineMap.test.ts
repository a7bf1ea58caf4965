import { describe, expect, it } from "vitest";
import {
  addMarkers,
  attributed,
  concat,
  finalize,
  generated,
  locate,
  placeholder,
} from "../../src/engine/lineMap.ts";

const M = (line: number) => `\uE000${line}\uE001`;

describe("addMarkers", () => {
  it("marks every line that starts outside a tag", () => {
    const template = "select a,\n  {{ ref('x') }}\n{% if true %}\nfrom t\n{% endif %}\n";
    expect(addMarkers(template)).toBe(
      `${M(1)}select a,\n${M(2)}  {{ ref('x') }}\n${M(3)}{% if true %}\n${M(4)}from t\n${M(5)}{% endif %}\n${M(6)}`,
    );
  });

  it("does not mark lines inside a tag that spans lines, nor inside comments", () => {
    const template = "{{ config(\n  materialized='table'\n) }}\n{# a\nnote #}\nselect 1";
    // Lines 2, 3 continue the config call; line 5 continues the comment.
    expect(addMarkers(template)).toBe(
      `${M(1)}{{ config(\n  materialized='table'\n) }}\n${M(4)}{# a\nnote #}\n${M(6)}select 1`,
    );
  });

  it("is not fooled by closing braces inside a string in a tag", () => {
    expect(addMarkers('{{ "}}" }}\nx')).toBe(`${M(1)}{{ "}}" }}\n${M(2)}x`);
  });
});

describe("finalize", () => {
  const rendered = `${M(1)}select\n${M(2)}  ${placeholder("ref:x")} as y\n${M(5)}from t`;
  const sql = finalize(rendered, "models/m.sql", (key) => (key === "ref:x" ? '"main"."x"' : key));

  it("strips markers and replaces placeholders", () => {
    expect(sql.text).toBe('select\n  "main"."x" as y\nfrom t');
  });

  it("remembers the template line of each output line", () => {
    expect(sql.lines).toEqual([
      [{ column: 0, file: "models/m.sql", line: 1 }],
      [{ column: 0, file: "models/m.sql", line: 2 }],
      [{ column: 0, file: "models/m.sql", line: 5 }],
    ]);
  });

  it("gives macro output lines without markers the line of the call", () => {
    // A macro call on template line 3 expanding to two lines.
    const out = finalize(`${M(3)}a,\nb\n${M(4)}c`, "f.sql", (key) => key);
    expect(out.lines.map((segments) => segments.map((segment) => segment.line))).toEqual([[3], [3], [4]]);
  });
});

describe("locate", () => {
  const template = "select\n  {{ ref('x') }} as y\n\n\nfrom t";
  const sources = new Map([["models/m.sql", template]]);
  const sql = finalize(
    `${M(1)}select\n${M(2)}  ${placeholder("ref:x")} as y\n${M(5)}from t`,
    "models/m.sql",
    () => '"main"."x"',
  );

  it("is exact after a substitution on the same line", () => {
    // Output line 2 is `  "main"."x" as y`: 2 spaces + 10 characters of relation + a space,
    // so `as` is at index 13, column 14. In the template `  {{ ref('x') }} as y` the expression
    // `{{ ref('x') }}` has 2 + 1 + 8 + 1 + 2 = 14 characters (indices 2..15), so `as` is at
    // index 17: column 18.
    expect(locate(sql, 2, 14, sources)).toEqual({ file: "models/m.sql", line: 2, column: 18 });
  });

  it("points at the start of the expression for a position inside its output", () => {
    // Column 6 falls inside "main"; the expression `{{ ref('x') }}` starts at column 3.
    expect(locate(sql, 2, 6, sources)).toEqual({ file: "models/m.sql", line: 2, column: 3 });
  });

  it("maps lines shifted by a generated prefix, and not generated lines", () => {
    const statement = concat(generated("create table t as"), sql);
    expect(locate(statement, 4, 1, sources)).toEqual({ file: "models/m.sql", line: 5, column: 1 });
    expect(locate(statement, 1, 1, sources)).toBeUndefined();
  });

  it("pins attributed SQL to its YAML position", () => {
    const test = attributed("select *\nfrom t\nwhere x is null", {
      file: "models/m.yml",
      line: 9,
      column: 13,
    });
    expect(locate(test, 3, 7, sources)).toEqual({ file: "models/m.yml", line: 9, column: 13 });
  });
});
