/**
 * Benchmark (not a test): BG/NBD and Gamma-Gamma fit time for 100 thousand, 1 million and
 * 2.5 million simulated buyers, median of several runs. Buyers live in whole days over three
 * years, as a shop's warehouse reports them; the fit groups them into distinct triples.
 *
 *   npx node bench/clv.ts [runs=5] [sizes=100000,1000000,2500000]
 */
import { fitBgNbd } from "../src/analytics/bgnbd.ts";
import { predictCustomer } from "../src/analytics/clv.ts";
import { fitGammaGamma } from "../src/analytics/gammaGamma.ts";
import { simulateCustomers } from "../src/analytics/simulate.ts";
import { compressTriples } from "../src/analytics/triples.ts";

const runs = Number(process.argv[2] ?? 5);
const sizes = (process.argv[3] ?? "100000,1000000,2500000").split(",").map(Number);
// Day-scale parameters of a typical shop: a repeat purchase every ~75 days while active,
// dropout after ~4 purchases on average, strong heterogeneity.
const bgnbd = { r: 0.8, alpha: 60, a: 0.6, b: 2.4 };
const gammaGamma = { p: 6, q: 4, v: 15 };

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// Wall-clock and CPU milliseconds: on a shared machine the CPU time is the steadier figure.
function time<T>(f: () => T): [T, number, number] {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = f();
  const used = process.cpuUsage(cpu);
  return [result, performance.now() - start, (used.user + used.system) / 1000];
}

console.log(
  "buyers\tdistinct\tcompress_ms\tbgnbd_fit_ms\tbgnbd_total_ms\tbgnbd_total_cpu_ms\trepeat\tgg_fit_ms\tgg_cpu_ms\tpredict_us",
);
for (const n of sizes) {
  const customers = simulateCustomers({
    customers: n,
    seed: 7,
    bgnbd,
    minT: 0,
    maxT: 1095,
    wholeUnits: true,
    gammaGamma,
  });
  // Mean spends rounded to cents, as a warehouse DECIMAL(18,2) gives them.
  const monetary = customers.monetaryValue.map((value) => Math.round(value * 100) / 100);
  const compress: number[] = [];
  const fit: number[] = [];
  const total: number[] = [];
  const totalCpu: number[] = [];
  const gg: number[] = [];
  const ggCpu: number[] = [];
  let distinct = 0;
  let converged = true;
  for (let run = 0; run < runs; run++) {
    const [triples, compressMs, compressCpu] = time(() => compressTriples(customers));
    const [bgFit, fitMs, fitCpu] = time(() => fitBgNbd(triples));
    const [ggFit, ggMs, ggCpuMs] = time(() =>
      fitGammaGamma({ frequency: customers.frequency, monetaryValue: monetary }),
    );
    distinct = triples.weight.length;
    converged &&= bgFit.converged && ggFit.converged;
    compress.push(compressMs);
    fit.push(fitMs);
    total.push(compressMs + fitMs);
    totalCpu.push(compressCpu + fitCpu);
    gg.push(ggMs);
    ggCpu.push(ggCpuMs);
  }
  const bg = fitBgNbd(customers).params!;
  const spend = fitGammaGamma({ frequency: customers.frequency, monetaryValue: monetary }).params!;
  const sample = Math.min(n, 20_000);
  const [, predictMs] = time(() => {
    for (let i = 0; i < sample; i++) {
      predictCustomer(
        bg,
        spend,
        {
          frequency: customers.frequency[i]!,
          recency: customers.recency[i]!,
          T: customers.T[i]!,
          monetaryValue: monetary[i]!,
          marginRate: 0.4,
        },
        { daysPerUnit: 1, annualDiscountRate: 0.1 },
      );
    }
  });
  const repeat = customers.frequency.filter((x) => x > 0).length;
  console.log(
    [
      n,
      distinct,
      median(compress).toFixed(0),
      median(fit).toFixed(0),
      median(total).toFixed(0),
      median(totalCpu).toFixed(0),
      repeat,
      median(gg).toFixed(0),
      median(ggCpu).toFixed(0),
      ((predictMs / sample) * 1000).toFixed(1),
    ].join("\t") + (converged ? "" : "\tNOT CONVERGED"),
  );
}
