import { describe, expect, it } from "vitest";
import { HuitouError } from "../../src/errors.ts";
import { type Block, parsePage } from "../../src/site/parsePage.ts";

const PAGE = `---
title: 复购
---
# Heading {orders[0].buyers}

\`\`\`sql orders
select 1 as buyers
\`\`\`

Some \`{not an expression}\` code.

\`\`\`js
const x = {a: 1};
\`\`\`

<BigValue data={orders} value=buyers title="买家 <b>" downIsGood/>

<Grid cols=2>
  <LineChart data={orders} x=month y={['a', 'b']}/>
</Grid>

{#if orders.length > 0}
Text with <Value data={orders} column=buyers/> inside.
{:else if false}
never
{:else}
none
{/if}

{#each orders as row, i}
- {row.buyers}
{/each}

\`\`\`sql second
select 2
  as n
\`\`\`
`;

function types(blocks: Block[]): string[] {
  return blocks
    .filter((b) => !(b.type === "text" && b.text.trim() === ""))
    .map((b) => (b.type === "component" ? b.name : b.type));
}

describe("parsePage", () => {
  const page = parsePage(PAGE, "pages/x.md");

  it("reads the frontmatter and every named sql fence with the line of its first SQL line", () => {
    expect(page.frontmatter).toEqual({ title: "复购" });
    // The fence opens on line 6, so its SQL starts on line 7; the second opens on line 34.
    expect(page.queries).toEqual([
      { name: "orders", sql: "select 1 as buyers\n", line: 7 },
      { name: "second", sql: "select 2\n  as n\n", line: 35 },
    ]);
  });

  it("splits the body into text, values, components and blocks, in order", () => {
    // Blank lines between blocks are text too; the helper leaves them out.
    expect(types(page.body)).toEqual(["text", "expr", "text", "BigValue", "Grid", "if", "each"]);
  });

  it("keeps inline code and other code fences as text, not expressions", () => {
    const text = page.body
      .filter((b) => b.type === "text")
      .map((b) => (b.type === "text" ? b.text : ""))
      .join("");
    expect(text).toContain("`{not an expression}`");
    expect(text).toContain("const x = {a: 1};");
  });

  it("parses props: quoted, bare, expression and flag", () => {
    const big = page.body.find((b) => b.type === "component" && b.name === "BigValue");
    expect(big).toMatchObject({
      line: 16,
      column: 1,
      inline: false,
      props: [
        { name: "data", value: { kind: "expr", expr: "orders" } },
        { name: "value", value: { kind: "string", text: "buyers" } },
        { name: "title", value: { kind: "string", text: "买家 <b>" } },
        { name: "downIsGood", value: { kind: "flag" } },
      ],
    });
  });

  it("nests children and branches", () => {
    const grid = page.body.find((b) => b.type === "component" && b.name === "Grid");
    expect(grid?.type === "component" && types(grid.children)).toEqual(["LineChart"]);
    const branch = page.body.find((b) => b.type === "if");
    expect(branch?.type === "if" && branch.branches.map((b) => b.cond)).toEqual([
      "orders.length > 0",
      "false",
      null,
    ]);
    const inline =
      branch?.type === "if" ? branch.branches[0]!.body.find((b) => b.type === "component") : undefined;
    expect(inline).toMatchObject({ name: "Value", inline: true });
    const each = page.body.find((b) => b.type === "each");
    expect(each).toMatchObject({ source: "orders", alias: "row", index: "i" });
  });

  const failures: [string, string, number, number][] = [
    ["<BigValue data={q}", "never closed", 1, 1],
    ["text\n\n<Grid>\n<BigValue/>\n", "<Grid> is never closed", 3, 1],
    ["```sql\nselect 1\n```\n", "needs a query name", 1, 1],
    ["```sql a\nselect 1\n```\n```sql a\nselect 2\n```\n", "defined twice", 4, 1],
    ["ok\n{/if}\n", "closes nothing", 2, 1],
    ["{#await x}\n", "unsupported block", 1, 1],
    ["</Grid>", "closes nothing", 1, 1],
  ];
  for (const [source, message, line, column] of failures) {
    it(`reports ${JSON.stringify(source)} at ${line}:${column}`, () => {
      let error: unknown;
      try {
        parsePage(source, "pages/bad.md");
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(HuitouError);
      const huitou = error as HuitouError;
      expect({
        name: huitou.name,
        file: huitou.location?.file,
        line: huitou.location?.line,
        column: huitou.location?.column,
      }).toEqual({
        name: "page",
        file: "pages/bad.md",
        line,
        column,
      });
      expect(huitou.message).toContain(message);
    });
  }
});
