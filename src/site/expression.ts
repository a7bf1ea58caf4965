/**
 * The expressions of Evidence pages (`{orders[0].revenue}`, `{#if rows.length > 0}`,
 * `title={t('复购率', 'Repurchase rate')}`), parsed and evaluated by a small interpreter rather
 * than `eval`: literals, names, member and index access on plain data, calls of the functions
 * the page scope provides, unary `! -`, arithmetic, comparison, `&& || ??` and `?:`. Reading a
 * property never reaches a prototype, so a page cannot get at anything but its data.
 */

export type Expr =
  | { type: "literal"; value: unknown }
  | { type: "name"; name: string }
  | { type: "member"; object: Expr; property: Expr; computed: boolean }
  | { type: "call"; callee: Expr; args: Expr[] }
  | { type: "unary"; op: string; arg: Expr }
  | { type: "binary"; op: string; left: Expr; right: Expr }
  | { type: "conditional"; test: Expr; then: Expr; else: Expr }
  | { type: "array"; items: Expr[] };

export class ExpressionError extends Error {}

const TOKEN =
  /\s*(?:(\d+(?:\.\d+)?(?:e[+-]?\d+)?)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`)|([A-Za-z_$\u4e00-\u9fff][\w$\u4e00-\u9fff]*)|(===|!==|==|!=|<=|>=|&&|\|\||\?\?|\?\.|[-+*/%<>!?:.,()[\]]))/y;

interface Token {
  kind: "num" | "str" | "name" | "op";
  text: string;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match) throw new ExpressionError(`unexpected '${source.slice(at).trim()[0]}' in {${source}}`);
    if (match[1] !== undefined) tokens.push({ kind: "num", text: match[1] });
    else if (match[2] !== undefined) tokens.push({ kind: "str", text: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: "name", text: match[3] });
    else tokens.push({ kind: "op", text: match[4]! });
  }
  return tokens;
}

const BINARY: Record<string, number> = {
  "??": 1,
  "||": 2,
  "&&": 3,
  "==": 4,
  "!=": 4,
  "===": 4,
  "!==": 4,
  "<": 5,
  "<=": 5,
  ">": 5,
  ">=": 5,
  "+": 6,
  "-": 6,
  "*": 7,
  "/": 7,
  "%": 7,
};

/** Parses an expression; throws ExpressionError with a readable message. */
export function parseExpression(source: string): Expr {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const expect = (text: string) => {
    const token = tokens[pos];
    if (token?.text !== text) throw new ExpressionError(`expected '${text}' in {${source}}`);
    pos++;
  };
  const primary = (): Expr => {
    const token = tokens[pos++];
    if (!token) throw new ExpressionError(`{${source}} ends too early`);
    if (token.kind === "num") return { type: "literal", value: Number(token.text) };
    if (token.kind === "str") return { type: "literal", value: unquote(token.text) };
    if (token.kind === "name") {
      if (token.text === "true" || token.text === "false")
        return { type: "literal", value: token.text === "true" };
      if (token.text === "null" || token.text === "undefined") return { type: "literal", value: null };
      return { type: "name", name: token.text };
    }
    if (token.text === "(") {
      const inner = expression(0);
      expect(")");
      return inner;
    }
    if (token.text === "[") {
      const items: Expr[] = [];
      while (peek()?.text !== "]") {
        items.push(expression(0));
        if (peek()?.text === ",") pos++;
        else break;
      }
      expect("]");
      return { type: "array", items };
    }
    if (token.text === "!" || token.text === "-" || token.text === "+")
      return { type: "unary", op: token.text, arg: postfix(primary()) };
    throw new ExpressionError(`unexpected '${token.text}' in {${source}}`);
  };
  const postfix = (base: Expr): Expr => {
    let node = base;
    for (;;) {
      const token = peek();
      if (token?.text === "." || token?.text === "?.") {
        pos++;
        const name = tokens[pos++];
        if (name?.kind !== "name")
          throw new ExpressionError(`expected a property name after '.' in {${source}}`);
        node = {
          type: "member",
          object: node,
          property: { type: "literal", value: name.text },
          computed: false,
        };
      } else if (token?.text === "[") {
        pos++;
        const property = expression(0);
        expect("]");
        node = { type: "member", object: node, property, computed: true };
      } else if (token?.text === "(") {
        pos++;
        const args: Expr[] = [];
        while (peek()?.text !== ")") {
          args.push(expression(0));
          if (peek()?.text === ",") pos++;
          else break;
        }
        expect(")");
        node = { type: "call", callee: node, args };
      } else return node;
    }
  };
  const expression = (minPrecedence: number): Expr => {
    let left = postfix(primary());
    for (;;) {
      const token = peek();
      if (token?.kind !== "op") break;
      if (token.text === "?" && minPrecedence === 0) {
        pos++;
        const then = expression(0);
        expect(":");
        const otherwise = expression(0);
        left = { type: "conditional", test: left, then, else: otherwise };
        continue;
      }
      const precedence = BINARY[token.text];
      if (precedence === undefined || precedence <= minPrecedence) break;
      pos++;
      left = { type: "binary", op: token.text, left, right: expression(precedence) };
    }
    return left;
  };
  const tree = expression(0);
  if (pos < tokens.length) throw new ExpressionError(`unexpected '${tokens[pos]!.text}' in {${source}}`);
  return tree;
}

function unquote(text: string): string {
  return text.slice(1, -1).replace(/\\(.)/g, (_, ch: string) => (ch === "n" ? "\n" : ch === "t" ? "\t" : ch));
}

/** Reads `object[key]` for own data properties only (and `length` of arrays and strings). */
function member(object: unknown, key: unknown): unknown {
  if (object === null || object === undefined) return undefined;
  if (typeof key !== "string" && typeof key !== "number") return undefined;
  if ((Array.isArray(object) || typeof object === "string") && key === "length") return object.length;
  if (typeof object !== "object") return undefined;
  return Object.hasOwn(object, key) ? (object as Record<string | number, unknown>)[key] : undefined;
}

/** Evaluates a parsed expression against a scope of data and allowed functions. */
export function evaluate(expr: Expr, scope: Record<string, unknown>): unknown {
  switch (expr.type) {
    case "literal":
      return expr.value;
    case "name":
      if (!Object.hasOwn(scope, expr.name))
        throw new ExpressionError(`'${expr.name}' is not defined on this page`);
      return scope[expr.name];
    case "member":
      return member(evaluate(expr.object, scope), evaluate(expr.property, scope));
    case "array":
      return expr.items.map((item) => evaluate(item, scope));
    case "call": {
      const callee = evaluate(expr.callee, scope);
      if (typeof callee !== "function")
        throw new ExpressionError("only the page functions (t, fmt) can be called");
      return callee(...expr.args.map((arg) => evaluate(arg, scope)));
    }
    case "unary": {
      const value = evaluate(expr.arg, scope);
      return expr.op === "!" ? !value : expr.op === "-" ? -Number(value) : Number(value);
    }
    case "conditional":
      return evaluate(expr.test, scope) ? evaluate(expr.then, scope) : evaluate(expr.else, scope);
    case "binary": {
      if (expr.op === "&&") return evaluate(expr.left, scope) && evaluate(expr.right, scope);
      if (expr.op === "||") return evaluate(expr.left, scope) || evaluate(expr.right, scope);
      if (expr.op === "??") return evaluate(expr.left, scope) ?? evaluate(expr.right, scope);
      const a = evaluate(expr.left, scope) as number;
      const b = evaluate(expr.right, scope) as number;
      switch (expr.op) {
        case "==":
        case "===":
          return a === b;
        case "!=":
        case "!==":
          return a !== b;
        case "<":
          return a < b;
        case "<=":
          return a <= b;
        case ">":
          return a > b;
        case ">=":
          return a >= b;
        case "+":
          return a + b;
        case "-":
          return a - b;
        case "*":
          return a * b;
        case "/":
          return a / b;
        default:
          return a % b;
      }
    }
  }
}

/** The column an expression reads last (`q[0].revenue` → `revenue`), to format its value by unit. */
export function columnOf(expr: Expr): string | undefined {
  if (expr.type === "member" && expr.property.type === "literal" && typeof expr.property.value === "string") {
    return expr.property.value;
  }
  return undefined;
}
