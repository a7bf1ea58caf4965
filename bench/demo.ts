/**
 * Benchmark (not a test): `generateDemo` at about 1 million and 10 million orders, time and peak
 * resident memory per run, each run in its own process (so peak RSS is that run's, DuckDB's
 * native memory included), with its CPU time (user + system: what the run itself cost, less
 * sensitive than wall time to other work on a shared machine) and the machine's load average
 * when it started. Orders scale with customers at about 2.9 orders per CRM customer, so the
 * sizes are given in customers. Output goes to bench/cache/ (ignored by git) and is removed.
 * Target: 10 million orders in under 60 seconds on the 2-core machine.
 *
 *   npx node bench/demo.ts [--customers 345000,3450000] [--runs 3,2] [--format csv|parquet]
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generateDemo } from "../src/demo/generateDemo.ts";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "345000,3450000" },
    runs: { type: "string", default: "3,2" },
    format: { type: "string", default: "csv" },
    child: { type: "string" },
  },
});
const format = values.format === "parquet" ? "parquet" : "csv";
const outDir = join(import.meta.dirname, "cache", "demo");

if (values.child) {
  // One measured run: print {seconds, orders, items, peakRssMb} as JSON.
  rmSync(outDir, { recursive: true, force: true });
  const started = performance.now();
  const steps: string[] = [];
  const onProgress = (message: string) => {
    // Wall and CPU (user + system, all threads) at the end of each step.
    const cpu = process.cpuUsage();
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    steps.push(
      `${((performance.now() - started) / 1000).toFixed(1)}s/${cpuSeconds.toFixed(1)}c ${message.split(":")[0]}`,
    );
  };
  const truth = await generateDemo({ outDir, customers: Number(values.child), seed: 42, format, onProgress });
  const seconds = (performance.now() - started) / 1000;
  const usage = process.resourceUsage();
  const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  const peakRssMb = usage.maxRSS / 1024;
  rmSync(outDir, { recursive: true, force: true });
  const { orders, order_items: items } = truth.counts;
  process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds, orders, items, peakRssMb, steps })}\n`);
} else {
  const sizes = values.customers.split(",").map(Number);
  const runs = values.runs.split(",").map(Number);
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  for (const [index, customers] of sizes.entries()) {
    const results: {
      seconds: number;
      cpuSeconds: number;
      orders: number;
      items: number;
      peakRssMb: number;
      steps: string[];
    }[] = [];
    for (let run = 0; run < (runs[index] ?? 1); run++) {
      const load = loadavg()[0]!;
      const output = execFileSync(
        process.execPath,
        [import.meta.filename, "--child", String(customers), "--format", format],
        { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
      );
      results.push(JSON.parse(output));
      const last = results.at(-1)!;
      console.log(
        `  run ${run + 1}: ${last.seconds.toFixed(1)} s (CPU ${last.cpuSeconds.toFixed(1)} s), ${last.orders.toLocaleString("en-US")} orders, peak RSS ${last.peakRssMb.toFixed(0)} MB, load average ${load.toFixed(1)} at start`,
      );
      console.log(`    ${last.steps.join(" | ")}`);
    }
    console.log(
      `${customers.toLocaleString("en-US")} customers (${format}): ${results[0]!.orders.toLocaleString("en-US")} orders, ` +
        `${results[0]!.items.toLocaleString("en-US")} items; median ${median(results.map((r) => r.seconds)).toFixed(1)} s ` +
        `(CPU ${median(results.map((r) => r.cpuSeconds)).toFixed(1)} s), ` +
        `median peak RSS ${median(results.map((r) => r.peakRssMb)).toFixed(0)} MB over ${results.length} run(s)`,
    );
  }
}
