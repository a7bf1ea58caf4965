/**
 * A stage stopped at `--timeout`: what its node log says about where the time went. The log is
 * what bench/stage.ts writes to stderr: the engine's result lines, each prefixed with the
 * seconds since the stage began, e.g.
 *
 *     275.5s ok     model  customers_summary  table built: 3392542 rows (69.59s)
 *     275.5s 30/64 done; running int_churn_channel_months, int_clv_inputs
 */

/** What a stopped stage had done. */
export interface Unfinished {
  stage: string;
  /** Seconds the stage ran before it was stopped. */
  afterSeconds: number;
  /** Peak RSS of its process (VmHWM) just before it was stopped. */
  peakRssMb: number;
  /** 1-minute load average when it started. */
  loadAverage: number;
  /** The slowest nodes that finished, by their own time. */
  slowest: { id: string; seconds: number }[];
  /** The last progress line (nodes done, nodes running), if any. */
  progress: string;
}

const RESULT = /^\s*[\d.]+s (?:ok|warn|pass|fail|error)\s+(\w+)\s+(\S+)\s.*\(([\d.]+)s\)\s*$/;
const PROGRESS = /^\s*[\d.]+s (\d+\/\d+ done.*)$/;

/** The slowest finished nodes (at most `top`) and the last progress line of a stage's log. */
export function readProgress(log: string, top = 5): Pick<Unfinished, "slowest" | "progress"> {
  const nodes: { id: string; seconds: number }[] = [];
  let progress = "";
  for (const line of log.split("\n")) {
    const result = RESULT.exec(line);
    if (result) nodes.push({ id: `${result[1]}.${result[2]}`, seconds: Number(result[3]) });
    const step = PROGRESS.exec(line);
    if (step) progress = step[1] as string;
  }
  nodes.sort((a, b) => b.seconds - a.seconds);
  return { slowest: nodes.slice(0, top), progress };
}

/** Peak resident memory (VmHWM) of a running process in MB, from /proc; 0 where unavailable. */
export function peakRssOf(status: string): number {
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) / 1024 : 0;
}
