/**
 * An adapter wrapper that records when statements run, so a run can tell the time spent inside
 * the database from its own overhead (the engine benchmark's figure). Intervals of concurrent
 * connections overlap; `busy` counts their union once.
 */
import type { Adapter } from "./adapters/adapter.ts";
import type { Clock } from "./effects.ts";

export class StatementTimer {
  readonly #clock: Clock;
  readonly #intervals: [number, number][] = [];

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Wraps `adapter` (and connections made from it) so each statement is timed. */
  wrap(adapter: Adapter): Adapter {
    const time = async <T>(work: () => Promise<T>): Promise<T> => {
      const start = this.#clock.now();
      try {
        return await work();
      } finally {
        this.#intervals.push([start, this.#clock.now()]);
      }
    };
    const wrapped: Adapter = {
      execute: (sql, params) => time(() => adapter.execute(sql, params)),
      query: (sql, params) => time(() => adapter.query(sql, params)),
      loadFile: (table, path, options) => time(() => adapter.loadFile(table, path, options)),
      listRelations: () => time(() => adapter.listRelations()),
      close: () => adapter.close(),
    };
    const queryColumns = adapter.queryColumns?.bind(adapter);
    if (queryColumns) wrapped.queryColumns = (sql, params) => time(() => queryColumns(sql, params));
    const writeColumns = adapter.writeColumns?.bind(adapter);
    if (writeColumns) {
      wrapped.writeColumns = (table, columns, options) => time(() => writeColumns(table, columns, options));
    }
    const connect = adapter.connect?.bind(adapter);
    if (connect) wrapped.connect = async () => this.wrap(await connect());
    return wrapped;
  }

  /** Milliseconds during which at least one statement was running. */
  busy(): number {
    const sorted = [...this.#intervals].sort((a, b) => a[0] - b[0]);
    let total = 0;
    let end = Number.NEGATIVE_INFINITY;
    for (const [from, to] of sorted) {
      if (to <= end) continue;
      total += to - Math.max(from, end);
      end = to;
    }
    return total;
  }
}
