/** `huitou demo`: writes the synthetic shop (raw data contract + truth.json) and prints its counts. */
import { generateDemo, MAX_CUSTOMERS, type Truth } from "../demo/generateDemo.ts";
import { errors } from "../errors.ts";
import { parse } from "./args.ts";
import type { Command } from "./command.ts";

const USAGE = `huitou demo [--out DIR] [--customers N] [--seed S] [--format csv|parquet]

Writes a synthetic Chinese multi-channel shop in the raw data contract (customers, orders,
order_items, products, campaigns, campaign_contacts, marketing_spend, reviews) plus truth.json,
the true parameters it was generated from. The same options give byte-identical files.

Options:
  --out DIR          folder to write (default demo-data); existing files of these names are replaced
  --customers N      CRM customers, 1 to ${MAX_CUSTOMERS.toLocaleString("en-US")} (default 20000); about 3 orders per buyer,
                     so 3,450,000 customers make about 10 million orders
  --seed S           random seed, an integer from 0 to 2147483647 (default 42)
  --format F         csv (UTF-8, header row) or parquet (default csv)
  -h, --help         this help
`;

export const command: Command = {
  summary: "write a synthetic demo shop (raw data + truth.json)",
  usage: USAGE,
  async run(argv) {
    const { values } = parse(argv, {
      out: { type: "string" },
      customers: { type: "string" },
      seed: { type: "string" },
      format: { type: "string" },
    });
    const outDir = values.out ?? "demo-data";
    const customers = integerOption("--customers", values.customers ?? "20000", 1, MAX_CUSTOMERS);
    const seed = integerOption("--seed", values.seed ?? "42", 0, 2 ** 31 - 1);
    const format = values.format ?? "csv";
    if (format !== "csv" && format !== "parquet") {
      throw errors.usage(`--format must be csv or parquet, got '${format}'`);
    }
    const started = performance.now();
    const truth = await generateDemo({
      outDir,
      customers,
      seed,
      format,
      onProgress: (message) => process.stderr.write(`  ${message}\n`),
    }).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EACCES" || code === "ENOTDIR" || code === "EROFS" || code === "EEXIST") {
        throw errors.demoOutput(outDir, (error as Error).message);
      }
      throw error;
    });
    process.stdout.write(summary(truth, outDir, (performance.now() - started) / 1000));
    return 0;
  },
};

/** Parses a whole number in [min, max] (digits, optionally with _ or , separators). */
function integerOption(name: string, text: string, min: number, max: number): number {
  const value = /^\d[\d_,]*$/.test(text) ? Number(text.replaceAll(/[_,]/g, "")) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw errors.usage(
      `${name} must be a whole number from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}, got '${text}'`,
    );
  }
  return value;
}

/** The closing summary: where the files are and how many rows each holds. */
export function summary(truth: Truth, outDir: string, seconds: number): string {
  const n = (value: number) => value.toLocaleString("en-US");
  const c = truth.counts;
  const rows = [
    ["customers", `${n(c.customers)} in the CRM export (${n(c.fans)} fans, ${n(c.members)} members)`],
    [
      "orders",
      `${n(c.orders)} (${n(c.purchases)} purchases by ${n(c.buyers)} buyers, ${n(c.guests)} not in the CRM)`,
    ],
    ["order_items", n(c.order_items)],
    ["products", n(c.products)],
    ["campaigns", `${n(c.campaigns)} with ${n(c.campaign_contacts)} contacts`],
    ["marketing_spend", n(c.marketing_spend)],
    ["reviews", n(c.reviews)],
  ];
  const width = Math.max(...rows.map(([name]) => name!.length));
  return [
    `demo shop written to ${outDir} (${truth.format}, seed ${truth.seed}, ${seconds.toFixed(1)} s)`,
    ...rows.map(([name, text]) => `  ${name!.padEnd(width)}  ${text}`),
    `  ${"truth.json".padEnd(width)}  the generating parameters and each campaign's true uplift`,
    `history ${truth.period.start} to ${truth.period.end}; the data is synthetic: never report it as a real shop's`,
    "",
  ].join("\n");
}
