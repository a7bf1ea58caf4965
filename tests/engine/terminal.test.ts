import { describe, expect, it } from "vitest";
import { terminalLogger } from "../../src/engine/terminal.ts";

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, isTTY, columns: 30, write: (text: string) => chunks.push(text) > 0 };
}

describe("terminalLogger", () => {
  it("draws progress as one live line on a terminal and clears it before a log line", () => {
    const out = stream(true);
    const logger = terminalLogger(out, stream(true));
    logger.progress("1/3 done; running stg_orders, stg_customers");
    logger.info("ok     model  stg_orders");
    // 30 columns: the live line is cut to 29 characters, the last one an ellipsis.
    expect(out.chunks).toEqual([
      "\r\x1b[2K1/3 done; running stg_orders…",
      "\r\x1b[2K",
      "ok     model  stg_orders\n",
    ]);
  });

  it("writes plain lines only when not on a terminal (CI)", () => {
    const out = stream(false);
    const err = stream(false);
    const logger = terminalLogger(out, err);
    logger.progress("1/3 done");
    logger.info("ok");
    logger.warn("warning: x");
    expect(out.chunks).toEqual(["ok\n"]);
    expect(err.chunks).toEqual(["warning: x\n"]);
  });
});
