import { describe, expect, it } from "vitest";
import { finalize } from "../../src/engine/lineMap.ts";
import { createRenderer, type RenderHooks } from "../../src/engine/templating.ts";
import { HuitouError } from "../../src/errors.ts";

function hooks(overrides: Partial<RenderHooks> = {}): RenderHooks & { refs: string[]; configs: object[] } {
  const refs: string[] = [];
  const configs: object[] = [];
  return {
    refs,
    configs,
    ref: (name) => {
      refs.push(name);
      return `"main"."${name}"`;
    },
    source: (_source, table) => `raw.${table}`,
    config: (values) => {
      configs.push(values);
    },
    isIncremental: () => false,
    this: '"main"."me"',
    ...overrides,
  };
}

const plain = (rendered: string) => finalize(rendered, "f.sql", (key) => key).text;

describe("createRenderer", () => {
  const macros = [
    {
      file: "macros/money.sql",
      source:
        "{% macro cents(x) %}round({{ x }} * 100){% endmacro %}\n{% macro with_rate(x) %}{{ cents(x) }} * {{ var('rate') }}{% endmacro %}",
    },
  ];
  const renderer = createRenderer({ vars: { rate: 0.4, name: "shop" }, env: { REGION: "cn" }, macros });

  it("renders ref, source, var, this, env_var and records refs and config", () => {
    const given = hooks();
    const out = renderer.render(
      "models/m.sql",
      "{{ config(materialized='table', tags=['a']) }}select * from {{ ref('orders') }}, {{ source('shop', 'customers') }}\nwhere x = {{ var('rate') }} and r = '{{ env_var('REGION') }}' and t = '{{ var('missing', 'dflt') }}' -- {{ this }}",
      given,
    );
    expect(plain(out)).toBe(
      `select * from "main"."orders", raw.customers\nwhere x = 0.4 and r = 'cn' and t = 'dflt' -- "main"."me"`,
    );
    expect(given.refs).toEqual(["orders"]);
    expect(given.configs).toEqual([{ materialized: "table", tags: ["a"] }]);
  });

  it("makes macros from macros/ callable, calling each other and var()", () => {
    expect(plain(renderer.render("models/m.sql", "select {{ with_rate('amount') }}", hooks()))).toBe(
      "select round(amount * 100) * 0.4",
    );
  });

  it("answers is_incremental() from the hooks", () => {
    const source = "select 1{% if is_incremental() %} where x > 1{% endif %}";
    expect(plain(renderer.render("m.sql", source, hooks()))).toBe("select 1");
    expect(plain(renderer.render("m.sql", source, hooks({ isIncremental: () => true })))).toBe(
      "select 1 where x > 1",
    );
  });

  it("reports an undefined var at the line of its call", () => {
    let error: unknown;
    try {
      renderer.render("models/m.sql", "select\n  1,\n  {{ var('churn') }}", hooks());
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HuitouError);
    const huitou = error as HuitouError;
    expect(huitou.name).toBe("template");
    // `{{ var('churn') }}` is on line 3; `var(` starts at column 6 (two spaces, `{{ `).
    expect(huitou.location).toEqual({ file: "models/m.sql", line: 3, column: 6 });
    expect(huitou.message).toContain("var('churn') is not defined");
  });

  it("reports a Jinja syntax error with nunjucks' line and column, unshifted by markers", () => {
    let error: unknown;
    try {
      renderer.render("models/m.sql", "select 1\nwhere {{ x ) }}", hooks());
    } catch (caught) {
      error = caught;
    }
    // The stray `)` is line 2, column 12 (`where {{ x ` is 11 characters).
    expect((error as HuitouError).location).toEqual({ file: "models/m.sql", line: 2, column: 12 });
  });

  it("raises exceptions.raise_compiler_error as a template error", () => {
    expect(() =>
      renderer.render(
        "models/m.sql",
        "{{ exceptions.raise_compiler_error('churn_days must be >= 31') }}",
        hooks(),
      ),
    ).toThrow("churn_days must be >= 31");
  });

  it("blames a macro file for an undefined var inside the macro", () => {
    const withBadMacro = createRenderer({
      vars: {},
      env: {},
      macros: [{ file: "macros/bad.sql", source: "{% macro m() %}\n{{ var('nope') }}\n{% endmacro %}" }],
    });
    let error: unknown;
    try {
      withBadMacro.render("models/m.sql", "select {{ m() }}", hooks());
    } catch (caught) {
      error = caught;
    }
    expect((error as HuitouError).location).toEqual({ file: "macros/bad.sql", line: 2, column: 4 });
  });
});
