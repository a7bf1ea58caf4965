/**
 * Effects for the command line: on a terminal, progress is one live line redrawn in place; in
 * CI (no TTY) progress is dropped and only the plain log lines remain. Log lines go to stdout,
 * warnings to stderr, so `huitou query` output stays clean.
 */
import { type Effects, type Logger, nodeFileSystem, systemClock } from "./effects.ts";

interface Stream {
  write(text: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

/** A logger for `out` (log lines and progress) and `err` (warnings). */
export function terminalLogger(out: Stream = process.stdout, err: Stream = process.stderr): Logger {
  const live = out.isTTY === true;
  let shown = false;
  const clear = () => {
    if (shown) out.write("\r\x1b[2K");
    shown = false;
  };
  return {
    info(message) {
      clear();
      out.write(`${message}\n`);
    },
    warn(message) {
      clear();
      err.write(`${message}\n`);
    },
    progress(message) {
      if (!live) return;
      const width = Math.max(20, (out.columns ?? 80) - 1);
      const line = message.split("\n")[0] ?? "";
      out.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
      shown = true;
    },
  };
}

export function terminalEffects(): Effects {
  return { fs: nodeFileSystem, logger: terminalLogger(), clock: systemClock };
}
