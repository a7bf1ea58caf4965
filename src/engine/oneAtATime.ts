/**
 * A queue for work that must not overlap: each task starts when the one before it has ended,
 * whether that one succeeded or failed.
 */
export type OneAtATime = <T>(task: () => Promise<T>) => Promise<T>;

/** A new queue. */
export function oneAtATime(): OneAtATime {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}
