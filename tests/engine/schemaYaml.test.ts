import { describe, expect, it } from "vitest";
import { readSchemaYaml } from "../../src/engine/schemaYaml.ts";
import { parseYamlFile } from "../../src/engine/yamlFile.ts";
import type { HuitouError } from "../../src/errors.ts";

const YAML = `version: 2
models:
  - name: orders
    description: One row per order.
    config:
      tags: [core]
    columns:
      - name: order_id
        description: The order.
        data_tests:
          - unique
          - accepted_values:
              arguments:
                values: [a, b]
              config:
                severity: warn
                where: "status = 'paid'"
      - name: amount
        tests:
          - not_null:
              severity: warn
    data_tests:
      - dbt_utils.expression_is_true:
          expression: "amount >= 0"
`;

describe("readSchemaYaml", () => {
  const [entry] = readSchemaYaml(parseYamlFile("models/orders.yml", YAML));

  it("reads docs, config and tests with their positions", () => {
    expect(entry?.docs.description).toBe("One row per order.");
    expect(entry?.docs.columns.map((column) => [column.name, column.location.line])).toEqual([
      ["order_id", 8],
      // Lines counted in YAML above: `- name: amount` is line 18.
      ["amount", 18],
    ]);
    expect(entry?.config.tags?.value).toEqual(["core"]);
    expect(
      entry?.tests.map((test) => ({
        type: test.testType,
        column: test.column,
        args: test.args,
        config: Object.fromEntries(Object.entries(test.config).map(([key, value]) => [key, value.value])),
        line: test.yaml.locate(test.path, true).line,
      })),
    ).toEqual([
      {
        type: "dbt_utils.expression_is_true",
        column: undefined,
        args: { expression: "amount >= 0" },
        config: {},
        line: 23,
      },
      { type: "unique", column: "order_id", args: {}, config: {}, line: 11 },
      {
        type: "accepted_values",
        column: "order_id",
        args: { values: ["a", "b"] },
        config: { severity: "warn", where: "status = 'paid'" },
        line: 12,
      },
      { type: "not_null", column: "amount", args: {}, config: { severity: "warn" }, line: 20 },
    ]);
  });

  it("points at a bad severity", () => {
    let error: HuitouError | undefined;
    try {
      readSchemaYaml(
        parseYamlFile(
          "m.yml",
          "models:\n  - name: x\n    columns:\n      - name: id\n        tests:\n          - unique:\n              config: {severity: fatal}\n",
        ),
      );
    } catch (caught) {
      error = caught as HuitouError;
    }
    expect(error?.message).toBe('severity must be one of error, warn; got "fatal"');
    // `              config: {severity: ` is 14 + 9 + 10 = 33 characters: `fatal` at column 34.
    expect(error?.location).toEqual({ file: "m.yml", line: 7, column: 34 });
  });
});
