/**
 * A database error as the analyst needs it: the model file and the line in it, with DuckDB's
 * message and a code frame. DuckDB ends its messages with `LINE n: <text>` and a caret under
 * the position in the statement; the statement's line map (lineMap.ts) takes that back to the
 * template.
 */
import { codeFrame, errors, type HuitouError, type Location } from "../errors.ts";
import { locate, type MappedSql } from "./lineMap.ts";

export interface StatementPosition {
  /** 1-based line in the statement. */
  line: number;
  /** 1-based column in the statement line, when the caret could be placed. */
  column: number | undefined;
}

/** DuckDB's message without the trailing `LINE n:` excerpt, and the position it pointed at. */
export function parseDatabaseError(
  message: string,
  statement: string,
): { message: string; position: StatementPosition | undefined } {
  const match = /\n*LINE (\d+): ?(.*)\n( *)\^/.exec(message);
  const text = (match ? message.slice(0, match.index) : message).trim();
  if (!match) return { message: text, position: undefined };
  const line = Number(match[1]);
  const excerpt = match[2] as string;
  const caret = (match[3] as string).length - `LINE ${match[1]}: `.length;
  const statementLine = statement.split("\n")[line - 1] ?? "";
  let column: number | undefined;
  if (excerpt.startsWith("...")) {
    // A long line is cut around the position: find the visible part in the real line.
    const visible = excerpt.slice(3).replace(/\.\.\.$/, "");
    const at = statementLine.indexOf(visible);
    if (at >= 0) column = at + (caret - 3) + 1;
  } else if (caret >= 0) {
    column = caret + 1;
  }
  return { message: text, position: { line, column } };
}

/**
 * The HuitouError for `error` raised by `statement` (whose lines map through `sql`), blamed on
 * `fallback` (the node's file) when the position lands on a line the engine generated.
 */
export function sqlError(
  error: unknown,
  statement: MappedSql,
  sources: ReadonlyMap<string, string>,
  fallback: Location,
  hint?: string,
): HuitouError {
  const raw = error instanceof Error ? error.message : String(error);
  const { message, position } = parseDatabaseError(raw, statement.text);
  const location = position ? locate(statement, position.line, position.column, sources) : undefined;
  const text = hint ? `${message}\n  hint: ${hint}` : message;
  if (!location) return errors.sql(text, fallback);
  const source = sources.get(location.file);
  const frame = source && location.line ? codeFrame(source, location.line, location.column) : undefined;
  return errors.sql(text, location, frame);
}
