/**
 * Monthly cohort retention on real data no one here wrote: the CDNOW master log (23,570
 * customers who first bought in Q1 1997, tracked to 1998-06-30; ../shared/datasets/cdnow/).
 * The log is converted to the raw data contract, built with the marts, and retention_cohorts
 * and retention_curve are compared with an independent computation straight from the text file.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWarehouse, type Warehouse } from "./shopSmall.ts";

const CDNOW = join(import.meta.dirname, "../../../shared/datasets/cdnow/CDNOW_master.txt");

interface Transaction {
  customerId: string;
  date: string; // YYYY-MM-DD
  cents: number;
}

/** CDNOW_master.txt: header, then `customer_id YYYYMMDD number_of_cds dollar_value` per line. */
function parseCdnow(text: string): Transaction[] {
  return text
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length === 4)
    .map(([customerId, day, , dollars]) => ({
      customerId: customerId!,
      date: `${day!.slice(0, 4)}-${day!.slice(4, 6)}-${day!.slice(6, 8)}`,
      cents: Math.round(Number(dollars) * 100),
    }));
}

/**
 * The converter, an example for users: one order per log line (status paid, paid_amount the
 * dollar value, the line number as order id), and one customer per id, first seen on their
 * first purchase day. CDNOW has no items, channels or refunds.
 */
function cdnowToRaw(transactions: Transaction[]): { customers: string; orders: string } {
  const firstSeen = new Map<string, string>();
  for (const { customerId, date } of transactions) {
    const seen = firstSeen.get(customerId);
    if (seen === undefined || date < seen) firstSeen.set(customerId, date);
  }
  const customers = ["customer_id,created_at", ...[...firstSeen].map(([id, date]) => `${id},${date}`)];
  const orders = [
    "order_id,customer_id,ordered_at,status,paid_amount",
    ...transactions.map((t, i) => `L${i + 1},${t.customerId},${t.date},paid,${(t.cents / 100).toFixed(2)}`),
  ];
  return { customers: `${customers.join("\n")}\n`, orders: `${orders.join("\n")}\n` };
}

/** Independent cohort table: (cohort month, k) -> active customers, purchases, revenue in cents. */
function cohortTable(transactions: Transaction[]) {
  const first = new Map<string, string>();
  for (const { customerId, date } of transactions) {
    const seen = first.get(customerId);
    if (seen === undefined || date < seen) first.set(customerId, date);
  }
  const monthIndex = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
  const sizes = new Map<string, number>();
  for (const date of first.values()) sizes.set(date.slice(0, 7), (sizes.get(date.slice(0, 7)) ?? 0) + 1);
  const cells = new Map<string, { active: Set<string>; orders: number; cents: number }>();
  for (const { customerId, date, cents } of transactions) {
    const cohort = first.get(customerId)!.slice(0, 7);
    const k = monthIndex(date) - monthIndex(`${cohort}-01`);
    const key = `${cohort}|${k}`;
    const cell = cells.get(key) ?? { active: new Set<string>(), orders: 0, cents: 0 };
    cell.active.add(customerId);
    cell.orders += 1;
    cell.cents += cents;
    cells.set(key, cell);
  }
  return { sizes, cells };
}

let warehouse: Warehouse;
let transactions: Transaction[];
let dataDir: string;
beforeAll(async () => {
  transactions = parseCdnow(await readFile(CDNOW, "utf8"));
  dataDir = await mkdtemp(join(tmpdir(), "huitou-cdnow-"));
  const raw = cdnowToRaw(transactions);
  await writeFile(join(dataDir, "customers.csv"), raw.customers);
  await writeFile(join(dataDir, "orders.csv"), raw.orders);
  warehouse = await buildWarehouse(
    dataDir,
    "1998-06-30",
    {},
    {
      dataTests:
        "path:models/marts/retention path:models/marts/repurchase path:models/marts/churn path:tests/marts/churn_monthly_flow_identity.sql",
    },
  );
});
afterAll(async () => {
  await warehouse?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("retention on CDNOW", () => {
  it("passes the data tests of the retention, repurchase and churn marts", () => {
    expect(warehouse.dataTestFailures).toEqual([]);
  });

  it("reads the whole log", () => {
    // The dataset's README: 69,659 rows, 23,570 customers, $2,500,315.63.
    expect(transactions).toHaveLength(69659);
    expect(new Set(transactions.map((t) => t.customerId)).size).toBe(23570);
    expect(transactions.reduce((sum, t) => sum + t.cents, 0)).toBe(250031563);
  });

  it("agrees with the independent cohort table cell by cell", async () => {
    const { sizes, cells } = cohortTable(transactions);
    const rows = await warehouse.rows(
      "select * from retention_cohorts order by cohort_month, months_since_first",
    );
    // Cohorts 1997-01, -02, -03, each followed to 1998-06: 18 + 17 + 16 rows.
    expect(rows).toHaveLength(51);
    for (const row of rows) {
      const cohort = String(row.cohort_month).slice(0, 7);
      const cell = cells.get(`${cohort}|${row.months_since_first}`);
      expect(row.cohort_size).toBe(sizes.get(cohort));
      expect(row.active_customers).toBe(cell?.active.size ?? 0);
      expect(row.orders).toBe(cell?.orders ?? 0);
      expect(Math.round(Number(row.revenue) * 100)).toBe(cell?.cents ?? 0);
    }
  });

  it("weights the curve by cohort size over complete months", async () => {
    // as_of 1998-06-30 is the last day of June: every month is complete.
    const { sizes, cells } = cohortTable(transactions);
    const rows = await warehouse.rows("select * from retention_curve order by months_since_first");
    expect(rows).toHaveLength(18);
    for (const row of rows) {
      const k = Number(row.months_since_first);
      let buyers = 0;
      let active = 0;
      for (const [cohort, size] of sizes) {
        const last = 17 - (Number(cohort.slice(5, 7)) - 1); // 1997-01 reaches k = 17
        if (k > last) continue;
        buyers += size;
        active += cells.get(`${cohort}|${k}`)?.active.size ?? 0;
      }
      expect(row.buyers_included).toBe(buyers);
      expect(row.retention_rate).toBeCloseTo(active / buyers, 12);
    }
  });
});
