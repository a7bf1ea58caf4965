/**
 * Raw data folders in the raw data contract, written to temporary folders by the tests: a few
 * orders given inline, or CDNOW's 2,357-customer sample (../shared/datasets/cdnow/cdnowElog.csv:
 * one order per row of the log, customer_id = sampleid, status paid, paid_amount = sales). The
 * dataset itself never enters the repository.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const CDNOW_ELOG = fileURLToPath(
  new URL("../../../shared/datasets/cdnow/cdnowElog.csv", import.meta.url),
);

/** One paid order: order_id, customer_id, ordered_at, paid_amount. */
export type PaidOrder = [string, string, string, string];

/**
 * Writes orders.csv (every order paid) and customers.csv (each buyer, created at their first
 * order) to a new temporary folder and returns its path.
 */
export async function writeRawData(orders: readonly PaidOrder[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "huitou-clv-raw-"));
  const created = new Map<string, string>();
  for (const [, customer, at] of orders) {
    const first = created.get(customer);
    if (first === undefined || at < first) created.set(customer, at);
  }
  const lines = orders.map(([id, customer, at, paid]) => `${id},${customer},${at},paid,${paid}`);
  await writeFile(
    join(dir, "orders.csv"),
    `order_id,customer_id,ordered_at,status,paid_amount\n${lines.join("\n")}\n`,
  );
  const customers = [...created].map(([customer, at]) => `${customer},${at}`);
  await writeFile(join(dir, "customers.csv"), `customer_id,created_at\n${customers.join("\n")}\n`);
  return dir;
}

/** CDNOW's sample as a raw folder: `masterid,sampleid,date,cds,sales`, dates `YYYYMMDD`. */
export async function writeCdnowRawData(): Promise<string> {
  const rows = (await readFile(CDNOW_ELOG, "utf8")).trim().split(/\r?\n/).slice(1);
  return writeRawData(
    rows.map((row, i) => {
      const [, sampleId, date, , sales] = row.split(",") as [string, string, string, string, string];
      return [`o${i + 1}`, sampleId, `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`, sales];
    }),
  );
}
