/**
 * One stage of the benchmark in a process of its own (bench/stage.ts), its node log in a file,
 * stopped at a time limit: what bench/run.ts calls for every measurement.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { open, readFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import type { StageRequest, StageResult } from "./stage.ts";
import { peakRssOf, readProgress, type Unfinished } from "./unfinished.ts";

const STAGE_SCRIPT = join(import.meta.dirname, "stage.ts");

/** A stage's result, or how far it got when `--timeout` stopped it. */
export type Measurement = (StageResult & { load1: number }) | { stopped: Unfinished };

/**
 * Runs one stage in a child process, its stderr (node lines) into `logFile`, and adds the load
 * average at its start. Past `timeoutMs` the child is killed and its progress read off the log.
 */
export async function measure(
  request: StageRequest,
  logFile: string,
  timeoutMs: number,
): Promise<Measurement> {
  const load1 = loadavg()[0] as number;
  const started = performance.now();
  const log = await open(logFile, "w");
  const child = spawn(process.execPath, [STAGE_SCRIPT, JSON.stringify(request)], {
    stdio: ["ignore", "pipe", log.fd],
  });
  let stdout = "";
  // stdio[1] is "pipe": stdout exists.
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  let peakRssMb = 0;
  const timer = setTimeout(() => {
    peakRssMb = peakRssOf(readFileSync(`/proc/${child.pid}/status`, { encoding: "utf8", flag: "r" }));
    child.kill("SIGKILL");
  }, timeoutMs);
  const code = await new Promise<number | null>((done, fail) => {
    child.on("error", fail);
    child.on("close", done);
  }).finally(() => {
    clearTimeout(timer);
    return log.close();
  });
  const text = await readFile(logFile, "utf8");
  if (child.signalCode === "SIGKILL") {
    const afterSeconds = (performance.now() - started) / 1000;
    return {
      stopped: { stage: request.stage, afterSeconds, peakRssMb, loadAverage: load1, ...readProgress(text) },
    };
  }
  if (code !== 0) {
    const tail = text.split("\n").slice(-15).join("\n");
    throw new Error(`bench stage ${request.stage} failed (exit ${code}); ${logFile} ends:\n${tail}`);
  }
  const last = stdout.trim().split("\n").at(-1) ?? "";
  return { ...(JSON.parse(last) as StageResult), load1 };
}
