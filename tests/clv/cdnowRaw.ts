/**
 * CDNOW's 2,357-customer sample (../shared/datasets/cdnow/cdnowElog.csv) converted to the raw
 * data contract in a temporary folder: customers.csv (customer_id = sampleid, created_at = the
 * first purchase day) and orders.csv (one order per row of the log: status paid, paid_amount =
 * sales). The dataset itself never enters the repository.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CDNOW_ELOG = "/work/shared/datasets/cdnow/cdnowElog.csv";

/** `YYYYMMDD` → `YYYY-MM-DD`. */
const isoDate = (digits: string) => `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;

/** Writes the raw folder and returns its path. */
export async function writeCdnowRawData(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "huitou-cdnow-raw-"));
  const lines = (await readFile(CDNOW_ELOG, "utf8")).trim().split(/\r?\n/).slice(1);
  const orders = ["order_id,customer_id,ordered_at,status,paid_amount"];
  const firstDay = new Map<string, string>();
  lines.forEach((line, i) => {
    const [, sampleId, date, , sales] = line.split(",") as [string, string, string, string, string];
    const day = isoDate(date);
    orders.push(`o${i + 1},${sampleId},${day},paid,${sales}`);
    const first = firstDay.get(sampleId);
    if (first === undefined || day < first) firstDay.set(sampleId, day);
  });
  const customers = ["customer_id,created_at", ...[...firstDay].map(([id, day]) => `${id},${day}`)];
  await writeFile(join(dir, "orders.csv"), `${orders.join("\n")}\n`);
  await writeFile(join(dir, "customers.csv"), `${customers.join("\n")}\n`);
  return dir;
}
