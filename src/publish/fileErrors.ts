/**
 * File-system failures a user can fix, turned into HuitouErrors: a folder they may not write
 * (permissions, a read-only mount, a file where a folder should be) or a full disk. Anything
 * else is left as it is: it is a bug or an unexpected state, and should print its stack.
 */
import { errors, type HuitouError } from "../errors.ts";

const NOT_WRITABLE = new Set(["EACCES", "EPERM", "EROFS", "ENOTDIR"]);
const FULL = new Set(["ENOSPC", "EDQUOT"]);

/** The errno code of `error`, when it is a Node file-system error. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The HuitouError for a failed write under `path`, or undefined when the cause is not the user's to fix. */
export function fileError(error: unknown, path: string): HuitouError | undefined {
  const code = errnoCode(error);
  if (code === undefined) return undefined;
  if (FULL.has(code)) return errors.diskFull(path, code);
  if (NOT_WRITABLE.has(code)) return errors.notWritable(path, code);
  return undefined;
}

/** Runs `work`; a fixable file-system failure is rethrown as its HuitouError naming `path`. */
export async function writingTo<T>(path: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw fileError(error, path) ?? error;
  }
}
