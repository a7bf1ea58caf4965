/**
 * One registry of the errors a user can meet. Each has a stable name, a message that says what
 * happened and what to do, an optional location `{file, line, column}` (printed as
 * `file:line:column` with a code frame), and the exit code class the CLI maps it to:
 * `usage` (bad arguments or configuration: exit 2) or `run` (the run failed: exit 1).
 * Internal invariants are not HuitouErrors: they are bugs, and print a stack.
 */

export interface Location {
  file: string;
  line?: number;
  column?: number;
}

export type ErrorKind = "usage" | "run";

export class HuitouError extends Error {
  override readonly name: string;
  readonly kind: ErrorKind;
  readonly location: Location | undefined;
  /** A few source lines around the location, already formatted, when known. */
  readonly frame: string | undefined;

  constructor(name: string, kind: ErrorKind, message: string, location?: Location, frame?: string) {
    super(message);
    this.name = name;
    this.kind = kind;
    this.location = location;
    this.frame = frame;
  }
}

/** Several problems found together (all missing refs, all cycles), reported at once. */
export class HuitouErrors extends Error {
  readonly errors: HuitouError[];
  readonly kind: ErrorKind;
  constructor(errors: HuitouError[]) {
    super(errors.map((error) => error.message).join("\n"));
    this.errors = errors;
    this.kind = errors.some((error) => error.kind === "usage") ? "usage" : "run";
  }
}

/** `file:line:column` as editors and terminals link it. */
export function formatLocation(location: Location): string {
  let text = location.file;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.line !== undefined && location.column !== undefined) text += `:${location.column}`;
  return text;
}

/** The lines around `line` (1-based) with a caret under `column`. */
export function codeFrame(source: string, line: number, column?: number, context = 2): string {
  const lines = source.split(/\r?\n/);
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === line ? ">" : " ";
    out.push(`${marker} ${String(n).padStart(width)} | ${lines[n - 1] ?? ""}`);
    if (n === line && column !== undefined && column > 0) {
      out.push(`  ${" ".repeat(width)} | ${" ".repeat(column - 1)}^`);
    }
  }
  return out.join("\n");
}

/** `error` with a code frame of `source` at its location. */
export function withFrame(error: HuitouError, source: string): HuitouError {
  const { location } = error;
  if (!location?.line) return error;
  return new HuitouError(
    error.name,
    error.kind,
    error.message,
    location,
    codeFrame(source, location.line, location.column),
  );
}

/** How an error reads on the terminal: `error[name] file:line:col: message` and its frame. */
export function formatError(error: HuitouError): string {
  const where = error.location ? ` ${formatLocation(error.location)}:` : "";
  const head = `error[${error.name}]${where} ${error.message}`;
  return error.frame ? `${head}\n${error.frame}` : head;
}

/** Builders for each named error, so messages are written once and tested as output. */
export const errors = {
  usage: (message: string) => new HuitouError("usage", "usage", message),
  config: (message: string, location?: Location, frame?: string) =>
    new HuitouError("config", "usage", message, location, frame),
  noData: () =>
    new HuitouError(
      "no-data",
      "usage",
      "no data sources configured: pass --data DIR with the shop's files, configure sources/*.yml, or use --demo for the synthetic shop",
    ),
  missingRef: (name: string, location: Location) =>
    new HuitouError(
      "missing-ref",
      "run",
      `ref('${name}') names no model or seed; check the spelling or add models/.../${name}.sql`,
      location,
    ),
  cycle: (path: string[], location: Location) =>
    new HuitouError(
      "cycle",
      "run",
      `models depend on each other in a cycle: ${path.join(" -> ")}; break it by moving shared logic into a model both can ref`,
      location,
    ),
  sql: (message: string, location: Location, frame?: string) =>
    new HuitouError("sql", "run", message, location, frame),
  template: (message: string, location: Location, frame?: string) =>
    new HuitouError("template", "run", message, location, frame),
  seed: (message: string, location: Location) => new HuitouError("seed", "run", message, location),
  /** A TypeScript model that cannot be loaded or whose build() failed; located in its .ts file. */
  tsModel: (message: string, location: Location, frame?: string) =>
    new HuitouError("ts-model", "run", message, location, frame),
  source: (message: string, location: Location) => new HuitouError("source", "run", message, location),
  missingColumn: (table: string, column: string, location: Location, mappedFrom?: string) =>
    new HuitouError(
      "missing-column",
      "usage",
      mappedFrom === undefined
        ? `${location.file} has no column '${column}', which raw.${table} requires; rename the header, or map it in the source's load.columns (${column}: <header in the file>)`
        : `${location.file} has no column '${mappedFrom}' (mapped to ${column}, which raw.${table} requires); fix the header or the mapping in load.columns`,
      location,
    ),
  missingDataFile: (table: string, searched: string, location: Location) =>
    new HuitouError(
      "missing-data-file",
      "usage",
      `no file for the required table ${table}: looked for ${searched}; add the export there or set load.path in the source`,
      location,
    ),
  badDataFile: (message: string, location: Location) =>
    new HuitouError("bad-data-file", "usage", message, location),
  tooManyRejects: (message: string, location: Location) =>
    new HuitouError("too-many-rejects", "run", message, location),
  testFailed: (message: string, location: Location) =>
    new HuitouError("test-failed", "run", message, location),
  /** A dashboard page that cannot be built (syntax, component, expression); the frame is from `source`. */
  page: (message: string, location: Location, source?: string) =>
    new HuitouError(
      "page",
      "run",
      message,
      location,
      source && location.line ? codeFrame(source, location.line, location.column) : undefined,
    ),
  /** A page's named query failed in the warehouse: names the page file, the query and its line. */
  pageQuery: (query: string, message: string, location: Location, source?: string) =>
    new HuitouError(
      "page-query",
      "run",
      `query '${query}' failed: ${message}; fix the SQL in the page (published marts are queried by their bare names)`,
      location,
      source && location.line ? codeFrame(source, location.line, location.column) : undefined,
    ),
  demoOutput: (dir: string, reason: string) =>
    new HuitouError(
      "demo-output",
      "run",
      `cannot write the demo shop to ${dir}: ${reason}; pass --out with a folder you can write to`,
      { file: dir },
    ),
  noWarehouse: (path: string) =>
    new HuitouError(
      "no-warehouse",
      "usage",
      `no warehouse at ${path}: run \`huitou build\` (or \`huitou run\`) first`,
    ),
  /** Publishing could not write `path` (permissions, read-only disk); nothing published changed. */
  notWritable: (path: string, code: string) =>
    new HuitouError(
      "not-writable",
      "run",
      `cannot write to this folder (${code}): this user may not write there; choose a folder you can write to (deploy --to DIR, build --out DIR) or fix its permissions. The published site is unchanged`,
      { file: path },
    ),
  /** The disk filled up while publishing; the partial copy was removed, nothing published changed. */
  diskFull: (path: string, code: string) =>
    new HuitouError(
      "disk-full",
      "run",
      `the disk holding this folder is full (${code}); free some space (or keep fewer releases with deploy --keep N) and try again. The published site is unchanged`,
      { file: path },
    ),
  /** `huitou deploy` found no built site to publish. */
  noSite: (dir: string) =>
    new HuitouError(
      "no-site",
      "usage",
      `no built site in this folder (it has no index.html): run \`huitou build\` first, or pass --from with the site's folder`,
      { file: dir },
    ),
  /** `huitou deploy --rollback` has nothing to go back to. */
  noRollback: (dir: string, reason: string) =>
    new HuitouError("no-rollback", "usage", `cannot roll back: ${reason}`, { file: dir }),
} as const;
