/**
 * TypeScript models (src/engine/tsModel.ts, runTsModel.ts) end to end: planned beside SQL models
 * by their declared refs, built in order, their YAML tests run, recorded in the artifacts; and
 * every way one can fail, each reported in the .ts file. Projects are written to temporary
 * folders by each test; expected values are worked out by hand in the comments.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import { runIn, thrown } from "./fixtureProject.ts";

const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

/** Writes `files` (project-relative path → text) into a new temporary project folder. */
async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "huitou-ts-models-"));
  made.push(dir);
  const all = { "huitou_project.yml": "name: tsp\nvars:\n  factor: 3\n", ...files };
  for (const [file, text] of Object.entries(all)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  return dir;
}

async function rows(dir: string, sql: string) {
  const adapter = await openDuckDB(join(dir, "target", "warehouse.duckdb"), { readOnly: true });
  try {
    return (await adapter.query(sql)).rows;
  } finally {
    await adapter.close();
  }
}

const SEED = "seeds/prices.csv";
const PRICES = "id,amount\na,1.5\nb,2.5\nc,4\n";

// Reads the view through readNumbers, keeps a temporary table, writes its own table in bulk.
const SCALED = `import type { TsModel } from "../../src/engine/tsModel.ts";

const model: TsModel = {
  refs: ["stg_prices"],
  description: "prices times factor",
  async build(ctx) {
    const { amount } = await ctx.readNumbers(\`select amount from \${ctx.ref("stg_prices")} order by id\`);
    const factor = Number(ctx.var("factor"));
    const missing = ctx.var("not_a_var", 10);
    const ranks = await ctx.writeTemporary("ranks", [
      { name: "rank", type: "INTEGER", values: [1, 2, 3] },
      { name: "id", type: "VARCHAR", values: ["a", "b", "c"] },
    ]);
    const names = (await ctx.adapter.query(\`select id from \${ranks} order by rank\`)).rows.map((row) => row.id);
    await ctx.writeTable([
      { name: "id", type: "VARCHAR", values: names },
      { name: "scaled", type: "DOUBLE", values: Array.from(amount!, (value) => value * factor + Number(missing)) },
      { name: "is_big", type: "BOOLEAN", values: Array.from(amount!, (value) => value > 2) },
    ]);
  },
};
export default model;
`;

describe("a TypeScript model between SQL models", () => {
  it("builds in dependency order, runs its YAML tests and appears in the artifacts", async () => {
    const dir = await project({
      [SEED]: PRICES,
      "models/staging/stg_prices.sql":
        "select id, cast(amount as double) as amount from {{ ref('prices') }}\n",
      "models/marts/scaled.ts": SCALED,
      "models/marts/scaled.yml": [
        "version: 2",
        "models:",
        "  - name: scaled",
        "    description: One row per price, scaled.",
        "    columns:",
        "      - name: id",
        "        description: The price.",
        "        data_tests: [unique, not_null]",
        "      - name: scaled",
        "        description: amount x factor + 10.",
        "        data_tests:",
        "          - expression_is_true:",
        '              expression: "> 10"',
        "",
      ].join("\n"),
      "models/marts/total.sql":
        "select sum(scaled) as total, count(*) filter (where is_big) as big from {{ ref('scaled') }}\n",
    });
    const outcome = await runIn(dir, "build");
    expect(outcome.failures).toEqual([]);
    expect(outcome.published).toBe(true);
    const order = outcome.results.map((result) => result.name);
    expect(order.indexOf("stg_prices")).toBeLessThan(order.indexOf("scaled"));
    expect(order.indexOf("scaled")).toBeLessThan(order.indexOf("total"));
    const scaled = outcome.results.find((result) => result.name === "scaled");
    expect([scaled?.status, scaled?.rowsAffected, scaled?.message]).toEqual([
      "success",
      3,
      "table built: 3 rows",
    ]);
    // scaled = amount x 3 + 10: a 14.5, b 17.5, c 22; the fallback 10 stands for the undefined var.
    expect(await rows(dir, "select * from scaled order by id")).toEqual([
      { id: "a", scaled: 14.5, is_big: false },
      { id: "b", scaled: 17.5, is_big: true },
      { id: "c", scaled: 22, is_big: true },
    ]);
    // 14.5 + 17.5 + 22 = 54; b and c are above 2.
    expect(await rows(dir, "select * from total")).toEqual([{ total: 54, big: 2 }]);
    // The temporary table went with the connection.
    expect(await rows(dir, "select count(*) as n from duckdb_tables() where table_name = 'ranks'")).toEqual([
      { n: 0 },
    ]);
    const tests = outcome.results
      .filter((result) => result.kind === "test" && result.name.includes("scaled"))
      .map((result) => [result.name, result.status]);
    expect(tests.sort()).toEqual([
      ["expression_is_true_scaled_scaled", "pass"],
      ["not_null_scaled_id", "pass"],
      ["unique_scaled_id", "pass"],
    ]);
    const manifest = JSON.parse(await readFile(join(dir, "target", "manifest.json"), "utf8"));
    const node = manifest.nodes["model.tsp.scaled"];
    expect({
      file: node.original_file_path,
      language: node.language,
      code: node.compiled_code,
      dependsOn: node.depends_on.nodes,
      materialized: node.config.materialized,
      description: node.description,
      columns: Object.keys(node.columns),
    }).toEqual({
      file: "models/marts/scaled.ts",
      language: "typescript",
      code: null,
      dependsOn: ["model.tsp.stg_prices"],
      materialized: "table",
      description: "One row per price, scaled.",
      columns: ["id", "scaled", "is_big"],
    });
    expect(manifest.child_map["model.tsp.scaled"]).toContain("model.tsp.total");
    const runResults = JSON.parse(await readFile(join(dir, "target", "run_results.json"), "utf8"));
    expect(
      runResults.results.find((r: { unique_id: string }) => r.unique_id === "model.tsp.scaled"),
    ).toMatchObject({ status: "success", rows_affected: 3 });
  });

  it("takes its description from the file when no YAML describes it, and replaces a view", async () => {
    const dir = await project({
      [SEED]: PRICES,
      "models/stg_prices.sql": "select id, cast(amount as double) as amount from {{ ref('prices') }}\n",
      "models/scaled.sql": "select 1 as id\n",
    });
    expect((await runIn(dir)).failures).toEqual([]);
    // The SQL model `scaled` was a view; the TypeScript one replaces it with a table.
    await rm(join(dir, "models/scaled.sql"));
    await writeFile(join(dir, "models/scaled.ts"), SCALED);
    const outcome = await runIn(dir);
    expect(outcome.failures).toEqual([]);
    expect(
      await rows(dir, "select table_type from information_schema.tables where table_name = 'scaled'"),
    ).toEqual([{ table_type: "BASE TABLE" }]);
    const manifest = JSON.parse(await readFile(join(dir, "target", "manifest.json"), "utf8"));
    expect(manifest.nodes["model.tsp.scaled"].description).toBe("prices times factor");
    expect(manifest.nodes["model.tsp.scaled"].patch_path).toBeNull();
  });
});

describe("bulk reads and writes", () => {
  it("read no rows as empty columns and write nulls of every type", async () => {
    const dir = await project({
      "models/blanks.ts": `export default {
  refs: [],
  async build(ctx) {
    const none = await ctx.readNumbers("select 1.5 as x, 2 as y where false");
    const widths = [none.x.length, none.y.length];
    await ctx.writeTable([
      { name: "n", type: "INTEGER", values: [widths[0], null] },
      { name: "d", type: "DOUBLE", values: [null, 0.1] },
      { name: "b", type: "BOOLEAN", values: [true, null] },
      { name: "s", type: "VARCHAR", values: [null, "é"] },
    ]);
  },
};
`,
      "models/empty.ts": `export default {
  refs: [],
  async build(ctx) {
    await ctx.writeTable([{ name: "n", type: "INTEGER", values: [] }]);
  },
};
`,
    });
    const outcome = await runIn(dir);
    expect(outcome.failures).toEqual([]);
    expect(await rows(dir, "select * from blanks")).toEqual([
      { n: 0, d: null, b: true, s: null },
      { n: null, d: 0.1, b: null, s: "é" },
    ]);
    expect(
      await rows(
        dir,
        "select typeof(n) as n, typeof(d) as d, typeof(b) as b, typeof(s) as s from blanks limit 1",
      ),
    ).toEqual([{ n: "INTEGER", d: "DOUBLE", b: "BOOLEAN", s: "VARCHAR" }]);
    expect(outcome.results.find((result) => result.name === "empty")?.message).toBe("table built: 0 rows");
  });
});

describe("planning problems, all reported at once in their files", () => {
  it("names missing refs, cycles, bad exports and a non-table materialization", async () => {
    const dir = await project({
      // Line 3, column 11: the quoted name in refs.
      "models/lost.ts":
        'const model = {\n  description: "reads nothing that exists",\n  refs: [ "nowhere"],\n  async build() {},\n};\nexport default model;\n',
      // loop_a.ts reads loop_b.sql, which reads loop_a.
      "models/loop_a.ts": 'export default {\n  refs: ["loop_b"],\n  async build() {},\n};\n',
      "models/loop_b.sql": "select * from {{ ref('loop_a') }}\n",
      // No build: the export is wrong (line 2).
      "models/broken.ts": "// no build function\nexport default { refs: [] };\n",
      "models/viewish.ts": "export default { refs: [], async build() {} };\n",
      "models/viewish.yml": "version: 2\nmodels:\n  - name: viewish\n    config:\n      materialized: view\n",
    });
    const problems = await thrown(() => runIn(dir));
    expect(problems.map(({ name, file, line, column }) => ({ name, file, line, column }))).toEqual(
      expect.arrayContaining([
        { name: "missing-ref", file: "models/lost.ts", line: 3, column: 11 },
        { name: "cycle", file: "models/loop_a.ts", line: 2, column: 10 },
        { name: "ts-model", file: "models/broken.ts", line: 2, column: 1 },
        { name: "config", file: "models/viewish.yml", line: 5, column: 21 },
      ]),
    );
    expect(problems).toHaveLength(4);
    const message = (name: string) => problems.find((problem) => problem.name === name)?.message;
    expect(message("cycle")).toContain("models/loop_a.ts -> models/loop_b.sql -> models/loop_a.ts");
    expect(message("ts-model")).toContain("build must be an async function creating ctx.this");
    expect(message("config")).toContain("a TypeScript model always builds a table");
  });

  it("reports a file that does not load at all", async () => {
    const dir = await project({ "models/garbled.ts": "export default {\n  refs: [,\n" });
    const [problem] = await thrown(() => runIn(dir));
    expect(problem?.name).toBe("ts-model");
    expect(problem?.file).toBe("models/garbled.ts");
    expect(problem?.message).toMatch(/^cannot load: /);
  });
});

describe("a failing build()", () => {
  const failing = (body: string) => `import type { TsModel } from "../src/engine/tsModel.ts";

const model: TsModel = {
  refs: ["prices"],
  async build(ctx) {
${body}
  },
};
export default model;
`;

  async function failure(body: string) {
    const dir = await project({
      [SEED]: PRICES,
      "models/bad.ts": failing(body),
      "models/after.sql": "select * from {{ ref('bad') }}\n",
    });
    const outcome = await runIn(dir);
    expect(outcome.published).toBe(false);
    const after = outcome.results.find((result) => result.name === "after");
    expect([after?.status, after?.message]).toEqual(["skipped", "skipped: bad did not build"]);
    expect(outcome.failures).toHaveLength(1);
    const error = outcome.failures[0]!;
    return {
      name: error.name,
      file: error.location?.file,
      line: error.location?.line,
      column: error.location?.column,
      message: error.message,
      frame: error.frame,
    };
  }

  it("points at the line that threw", async () => {
    // Line 6 of the file is the body's first line; the Error is made at column 11.
    const error = await failure('    throw new Error("no luck");');
    expect(error).toMatchObject({
      name: "ts-model",
      file: "models/bad.ts",
      line: 6,
      column: 11,
      message: "build() failed: no luck",
    });
    expect(error.frame).toContain('> 6 |     throw new Error("no luck");');
  });

  it("points at the statement a database error came from", async () => {
    const error = await failure('    const n = 1;\n    await ctx.adapter.execute("select * from nowhere");');
    expect(error).toMatchObject({ name: "ts-model", file: "models/bad.ts", line: 7 });
    expect(error.message).toMatch(/^build\(\) failed: Catalog Error: Table with name nowhere does not exist/);
  });

  it("refuses a ref that is not declared", async () => {
    const error = await failure('    ctx.ref("orders");');
    expect(error).toMatchObject({ name: "ts-model", file: "models/bad.ts", line: 6, column: 9 });
    expect(error.message).toBe(
      "ctx.ref('orders') is not among the model's refs (prices); add 'orders' to refs so it is built first",
    );
  });

  it("refuses an undefined variable without a fallback", async () => {
    const error = await failure('    ctx.var("nope");');
    expect(error).toMatchObject({ name: "ts-model", line: 6, column: 9 });
    expect(error.message).toContain("var('nope') is not defined");
  });

  it("refuses nulls where numbers are read", async () => {
    const error = await failure('    await ctx.readNumbers("select 1.5 as x union all select null");');
    expect(error).toMatchObject({ name: "ts-model", line: 6 });
    expect(error.message).toMatch(/column x holds null at row \d, not a number/);
  });

  it("fails when it creates no table", async () => {
    const error = await failure("    await ctx.adapter.execute(`select 1`);");
    expect(error.message).toBe(
      'build() finished without creating "main"."bad": create it from ctx.this (or with ctx.writeTable)',
    );
  });
});
