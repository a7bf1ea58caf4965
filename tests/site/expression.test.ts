import { describe, expect, it } from "vitest";
import { columnOf, ExpressionError, evaluate, parseExpression } from "../../src/site/expression.ts";

const scope = {
  q: [
    { buyers: 120, rate: 0.25, name: "a" },
    { buyers: 80, rate: 0.5, name: "b" },
  ],
  inputs: { channel: { value: "wechat" } },
  t: (zh: string, en: string) => `${zh}/${en}`,
};

const run = (source: string) => evaluate(parseExpression(source), scope);

describe("expressions", () => {
  it("reads rows by index and column", () => {
    expect(run("q[0].buyers")).toBe(120);
    expect(run("q[q.length - 1].name")).toBe("b");
    expect(run("inputs.channel.value")).toBe("wechat");
  });

  it("computes arithmetic with precedence: 120 + 80 * 2 = 280; (120 + 80) / 4 = 50", () => {
    expect(run("q[0].buyers + q[1].buyers * 2")).toBe(280);
    expect(run("(q[0].buyers + q[1].buyers) / 4")).toBe(50);
  });

  it("compares and combines", () => {
    expect(run("q.length > 1 && q[0].rate < q[1].rate")).toBe(true);
    expect(run("q[5]?.rate ?? 'none'")).toBe("none");
    expect(run("q[0].rate >= 0.5 ? 'high' : 'low'")).toBe("low");
    expect(run("!q.length")).toBe(false);
    expect(run("-q[0].buyers")).toBe(-120);
  });

  it("calls the page functions and builds arrays", () => {
    expect(run("t('复购', 'Repurchase')")).toBe("复购/Repurchase");
    expect(run("['a', 'b']")).toEqual(["a", "b"]);
  });

  it("never reaches prototypes or globals", () => {
    expect(run("q.constructor")).toBeUndefined();
    expect(run("q[0].__proto__")).toBeUndefined();
    expect(run("q[0].name.constructor")).toBeUndefined();
    expect(() => run("process")).toThrow(ExpressionError);
    expect(() => run("q.map(1)")).toThrow("only the page functions");
  });

  it("rejects malformed expressions", () => {
    expect(() => parseExpression("q[0")).toThrow(ExpressionError);
    expect(() => parseExpression("a b")).toThrow("unexpected 'b'");
    expect(() => parseExpression("a = 1")).toThrow(ExpressionError);
  });

  it("names the column an expression reads", () => {
    expect(columnOf(parseExpression("q[0].repurchase_rate"))).toBe("repurchase_rate");
    expect(columnOf(parseExpression("q.length"))).toBe("length");
    expect(columnOf(parseExpression("1 + 2"))).toBeUndefined();
  });
});
