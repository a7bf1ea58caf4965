/**
 * Test helper: reads a written demo shop back into DuckDB (through the adapter) as views typed
 * the way the raw data contract says, independently of the generator's own tables.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Adapter } from "../../src/engine/adapters/adapter.ts";
import { quoteLiteral } from "../../src/engine/adapters/adapter.ts";

/** Each table's columns as shared/spec/raw-data.md lists them, with the contract type. */
export const CONTRACT: Record<string, [string, "string" | "timestamp" | "decimal" | "integer" | "date"][]> = {
  customers: [
    ["customer_id", "string"],
    ["created_at", "timestamp"],
    ["member_since", "timestamp"],
    ["tier", "string"],
    ["acquisition_channel", "string"],
    ["referrer_id", "string"],
    ["city", "string"],
    ["gender", "string"],
    ["birth_year", "integer"],
    ["name", "string"],
    ["phone", "string"],
  ],
  orders: [
    ["order_id", "string"],
    ["parent_order_id", "string"],
    ["customer_id", "string"],
    ["ordered_at", "timestamp"],
    ["status", "string"],
    ["channel", "string"],
    ["gross_amount", "decimal"],
    ["discount_amount", "decimal"],
    ["paid_amount", "decimal"],
    ["refunded_amount", "decimal"],
    ["refunded_at", "timestamp"],
    ["coupon_code", "string"],
    ["campaign_id", "string"],
  ],
  order_items: [
    ["order_id", "string"],
    ["product_id", "string"],
    ["quantity", "integer"],
    ["unit_price", "decimal"],
    ["unit_cost", "decimal"],
  ],
  products: [
    ["product_id", "string"],
    ["name", "string"],
    ["category", "string"],
    ["unit_cost", "decimal"],
    ["launched_at", "timestamp"],
  ],
  campaigns: [
    ["campaign_id", "string"],
    ["name", "string"],
    ["channel", "string"],
    ["started_at", "timestamp"],
    ["response_window_days", "integer"],
    ["offer", "string"],
    ["cost_per_contact", "decimal"],
    ["coupon_cost", "decimal"],
  ],
  campaign_contacts: [
    ["campaign_id", "string"],
    ["customer_id", "string"],
    ["contacted_at", "timestamp"],
    ["group", "string"],
  ],
  marketing_spend: [
    ["month", "date"],
    ["acquisition_channel", "string"],
    ["spend", "decimal"],
  ],
  reviews: [
    ["order_id", "string"],
    ["rating", "integer"],
    ["created_at", "timestamp"],
  ],
};

const SQL_TYPE = {
  string: "VARCHAR",
  timestamp: "TIMESTAMP",
  decimal: "DECIMAL(18,2)",
  integer: "INTEGER",
  date: "DATE",
} as const;

/** Creates one view per table: CSV read as text and cast by the contract; Parquet as written. */
export async function loadShop(db: Adapter, dir: string, format: "csv" | "parquet"): Promise<void> {
  for (const [table, columns] of Object.entries(CONTRACT)) {
    const path = quoteLiteral(join(dir, `${table}.${format}`));
    const source =
      format === "csv" ? `read_csv(${path}, header = true, all_varchar = true)` : `read_parquet(${path})`;
    const select = columns
      .map(([name, type]) => `cast("${name}" as ${SQL_TYPE[type]}) as "${name}"`)
      .join(", ");
    await db.execute(`create or replace view ${table} as select ${select} from ${source}`);
  }
}

/** The first cell of a one-row query, as a number. */
export async function scalar(db: Adapter, sql: string): Promise<number> {
  const { rows } = await db.query(sql);
  return Number(Object.values(rows[0]!)[0]);
}

/**
 * The row orders generateDemo documents, read from the files themselves: orders by
 * (ordered_at, order_id); each order's items together, in the orders' order; customers by
 * customer_id; reviews by (created_at, order_id); contacts by (campaign_id, customer_id).
 * Returns the first violation per file (an empty object when all hold).
 */
export async function fileOrderViolations(dir: string): Promise<Record<string, string>> {
  const rows = async (table: string) =>
    (await readFile(join(dir, `${table}.csv`), "utf8"))
      .split("\n")
      .slice(1)
      .filter((line) => line !== "")
      .map((line) => line.split(","));
  const violations: Record<string, string> = {};
  const increasing = (table: string, keys: string[][]) => {
    for (let k = 1; k < keys.length; k++) {
      const [a, b] = [keys[k - 1]!, keys[k]!];
      const order = a[0] === b[0] ? compare(a[1]!, b[1]!) : compare(a[0]!, b[0]!);
      if (order >= 0) {
        violations[table] = `row ${k + 1}: ${b.join(" ")} after ${a.join(" ")}`;
        return;
      }
    }
  };
  const orders = await rows("orders");
  increasing(
    "orders",
    orders.map((row) => [row[3]!, row[0]!]),
  );
  // Items: the order ids, with runs collapsed, are the orders' ids in the same order.
  const itemOrders = (await rows("order_items"))
    .map((row) => row[0]!)
    .filter((id, k, ids) => id !== ids[k - 1]);
  const orderIds = orders.map((row) => row[0]!);
  const at = itemOrders.findIndex((id, k) => id !== orderIds[k]);
  if (at >= 0 || itemOrders.length !== orderIds.length)
    violations.order_items = `order ${at + 1}: ${itemOrders[at]}`;
  increasing(
    "customers",
    (await rows("customers")).map((row) => [row[0]!, ""]),
  );
  increasing(
    "reviews",
    (await rows("reviews")).map((row) => [row[2]!, row[0]!]),
  );
  // Contacts: strictly increasing (campaign_id, customer_id) is also "one row per pair".
  increasing(
    "campaign_contacts",
    (await rows("campaign_contacts")).map((row) => [row[0]!, row[1]!]),
  );
  return violations;
}

/** Compares ids and timestamps as the files spell them: same-length numbers and ISO times compare as text. */
function compare(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
