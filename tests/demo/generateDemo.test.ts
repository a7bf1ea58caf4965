import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemo, type Truth } from "../../src/demo/generateDemo.ts";
import { defaultParameters } from "../../src/demo/parameters.ts";
import type { Adapter } from "../../src/engine/adapters/adapter.ts";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import { CONTRACT, fileOrderViolations, loadShop, scalar } from "./shop.ts";

const CUSTOMERS = 3000;
let root: string;
let truth: Truth;
let db: Adapter;
const dir = (name: string) => join(root, name);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "huitou-demo-test-"));
  truth = await generateDemo({ outDir: dir("a"), customers: CUSTOMERS, seed: 42, format: "csv" });
  await generateDemo({ outDir: dir("b"), customers: CUSTOMERS, seed: 42, format: "csv" });
  await generateDemo({ outDir: dir("c"), customers: CUSTOMERS, seed: 7, format: "csv" });
  await generateDemo({ outDir: dir("p"), customers: CUSTOMERS, seed: 42, format: "parquet" });
  await generateDemo({ outDir: dir("q"), customers: CUSTOMERS, seed: 42, format: "parquet" });
  db = await openDuckDB(":memory:");
  await loadShop(db, dir("a"), "csv");
});

afterAll(async () => {
  await db?.close();
  await rm(root, { recursive: true, force: true });
});

const TABLE_FILES = Object.keys(CONTRACT);

describe("determinism", () => {
  it("writes byte-identical files for the same seed (CSV and Parquet)", async () => {
    for (const [first, second, format] of [
      ["a", "b", "csv"],
      ["p", "q", "parquet"],
    ] as const) {
      const files = (await readdir(dir(first))).sort();
      expect(files).toEqual([...TABLE_FILES.map((t) => `${t}.${format}`), "truth.json"].sort());
      for (const file of files) {
        const same = (await readFile(join(dir(first), file))).equals(await readFile(join(dir(second), file)));
        expect(same, file).toBe(true);
      }
    }
  });

  it("writes rows in a fixed order: orders by time, each order's items together in that order", async () => {
    // Also customers by id, reviews by time, contacts by campaign and customer (shop.ts).
    expect(await fileOrderViolations(dir("a"))).toEqual({});
  });

  it("writes different files for another seed", async () => {
    for (const file of ["customers.csv", "orders.csv", "order_items.csv", "campaign_contacts.csv"]) {
      const same = (await readFile(join(dir("a"), file))).equals(await readFile(join(dir("c"), file)));
      expect(same, file).toBe(false);
    }
  });
});

describe("the raw data contract", () => {
  it("names the CSV columns exactly, in the contract's order", async () => {
    for (const [table, columns] of Object.entries(CONTRACT)) {
      const text = await readFile(join(dir("a"), `${table}.csv`), "utf8");
      expect(text.slice(0, text.indexOf("\n")), table).toBe(columns.map(([name]) => name).join(","));
    }
  });

  it("types the Parquet columns as the warehouse does", async () => {
    const expected = {
      string: "VARCHAR",
      timestamp: "TIMESTAMP",
      decimal: "DECIMAL(18,2)",
      integer: "INTEGER",
      date: "DATE",
    };
    for (const [table, columns] of Object.entries(CONTRACT)) {
      const { rows } = await db.query(
        `describe select * from read_parquet('${join(dir("p"), `${table}.parquet`)}')`,
      );
      expect(
        rows.map((row) => [row.column_name, row.column_type]),
        table,
      ).toEqual(columns.map(([name, type]) => [name, expected[type]]));
    }
  });

  it("writes timestamps as YYYY-MM-DD HH:MM:SS and money with two decimals", async () => {
    const text = await readFile(join(dir("a"), "orders.csv"), "utf8");
    const first = text.split("\n")[1]!.split(",");
    expect(first[3]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    for (const amount of first.slice(6, 10)) expect(amount).toMatch(/^\d+\.\d\d$/);
    // Every value casts to its contract type (the views cast; a bad value would fail the count).
    for (const table of TABLE_FILES)
      expect(await scalar(db, `select count(*) from ${table}`)).toBeGreaterThan(0);
  });

  it("holds the same data in CSV and Parquet", async () => {
    const parquet = await openDuckDB(":memory:");
    try {
      await loadShop(parquet, dir("p"), "parquet");
      const check = "select count(*) || '|' || sum(paid_amount) || '|' || max(ordered_at) from orders";
      const { rows: a } = await db.query(check);
      const { rows: b } = await parquet.query(check);
      expect(a).toEqual(b);
    } finally {
      await parquet.close();
    }
  });

  it("counts in truth.json what the files hold", async () => {
    for (const table of TABLE_FILES) {
      expect(truth.counts[table as keyof Truth["counts"]], table).toBe(
        await scalar(db, `select count(*) from ${table}`),
      );
    }
    expect(truth.parameters).toEqual(defaultParameters);
    expect(truth.campaigns).toHaveLength(68);
    const written = JSON.parse(await readFile(join(dir("a"), "truth.json"), "utf8"));
    expect(written).toEqual(truth);
  });
});

/** Rows that break a rule: each query counts violations, which must be 0. */
const VIOLATIONS: Record<string, string> = {
  "unique order ids": "select count(*) - count(distinct order_id) from orders",
  "unique customer ids": "select count(*) - count(distinct customer_id) from customers",
  "every item's order exists": "select count(*) from order_items anti join orders using (order_id)",
  "every item's product exists": "select count(*) from order_items anti join products using (product_id)",
  "every contact's campaign exists":
    "select count(*) from campaign_contacts anti join campaigns using (campaign_id)",
  "every contact's customer exists":
    "select count(*) from campaign_contacts anti join customers using (customer_id)",
  "every review's order exists": "select count(*) from reviews anti join orders using (order_id)",
  "one row per campaign and customer":
    "select count(*) from (select campaign_id, customer_id from campaign_contacts group by all having count(*) > 1)",
  "referrers exist and were members before the referred customer was seen": `select count(*) from customers as referred
    left join customers as referrer on referrer.customer_id = referred.referrer_id
    where referred.referrer_id is not null
      and (referrer.member_since is null or referrer.member_since >= referred.created_at)`,
  "a split checkout is one customer's, at one time": `select count(*) from (select parent_order_id from orders
    where parent_order_id is not null group by all
    having count(distinct customer_id) > 1 or count(distinct ordered_at) > 1 or count(*) < 2)`,
  "paid_amount is the sum of the items": `select count(*) from orders
    inner join (select order_id, sum(quantity * unit_price) as items_total from order_items group by all) using (order_id)
    where items_total <> paid_amount`,
  "every order has items": "select count(*) from orders anti join order_items using (order_id)",
  "gross - discount = paid":
    "select count(*) from orders where gross_amount - discount_amount <> paid_amount",
  "statuses are the contract's":
    "select count(*) from orders where status not in ('paid', 'refunded', 'partially_refunded', 'cancelled')",
  "refunds match the status": `select count(*) from orders where case status
      when 'refunded' then refunded_amount <> paid_amount or refunded_at is null
      when 'partially_refunded' then not (refunded_amount > 0 and refunded_amount < paid_amount) or refunded_at is null
      else refunded_amount <> 0 or refunded_at is not null end`,
  "refunds follow the order, inside the period":
    "select count(*) from orders where refunded_at < ordered_at or refunded_at > timestamp '2025-12-31 23:59:59'",
  "orders inside the period":
    "select count(*) from orders where ordered_at < timestamp '2023-01-01' or ordered_at > timestamp '2025-12-31 23:59:59'",
  "a customer is seen no later than their first order": `select count(*) from customers
    inner join (select customer_id, min(ordered_at) as first_order from orders group by all) using (customer_id)
    where created_at > first_order`,
  "member_since not before created_at": "select count(*) from customers where member_since < created_at",
  "tiers only for members": "select count(*) from customers where (tier is null) <> (member_since is null)",
  "a campaign order redeems a coupon in a treatment contact's window": `select count(*) from orders
    left join campaign_contacts as contacts
      on contacts.campaign_id = orders.campaign_id and contacts.customer_id = orders.customer_id
      and contacts."group" = 'treatment'
    left join campaigns on campaigns.campaign_id = orders.campaign_id
    where orders.campaign_id is not null and (orders.coupon_code is null or contacts.customer_id is null
      or orders.ordered_at < contacts.contacted_at
      or orders.ordered_at >= contacts.contacted_at + to_days(campaigns.response_window_days))`,
  "ratings from 1 to 5": "select count(*) from reviews where rating not between 1 and 5",
  "quantities and prices positive": "select count(*) from order_items where quantity < 1 or unit_price <= 0",
  // An exact duplicate row would load once (raw-data contract): same product at the same price
  // and cost in one order is one line, quantities summed.
  "no order repeats a line": `select count(*) from (select order_id, product_id, unit_price, unit_cost
    from order_items group by all having count(*) > 1)`,
};

describe("relations and amounts", () => {
  for (const [rule, sql] of Object.entries(VIOLATIONS)) {
    it(rule, async () => {
      expect(await scalar(db, sql)).toBe(0);
    });
  }
});

/** Untidiness that must be present: each query counts examples, which must be > 0. */
const PRESENT: Record<string, string> = {
  "cancelled orders": "select count(*) from orders where status = 'cancelled'",
  "fully refunded orders": "select count(*) from orders where status = 'refunded'",
  "partially refunded orders": "select count(*) from orders where status = 'partially_refunded'",
  "split orders": "select count(*) from orders where parent_order_id is not null",
  "several orders by one customer on one day":
    "select count(*) from (select customer_id, ordered_at::DATE from orders group by all having count(*) > 1)",
  "members who joined after their first purchase": `select count(*) from customers
    inner join (select customer_id, min(ordered_at) as first_order from orders group by all) using (customer_id)
    where member_since > first_order`,
  "items with unknown cost": "select count(*) from order_items where unit_cost is null",
  "products with unknown cost": "select count(*) from products where unit_cost is null",
  "orders of customers missing from the CRM":
    "select count(*) from orders anti join customers using (customer_id)",
  "fans who never bought": "select count(*) from customers anti join orders using (customer_id)",
  "referred customers": "select count(*) from customers where referrer_id is not null",
  "campaign coupon redemptions": "select count(*) from orders where campaign_id is not null",
  "coupons without a campaign (new-customer coupon)":
    "select count(*) from orders where coupon_code = 'XINREN10'",
  "platform discounts on 双11": `select count(*) from orders
    where strftime(ordered_at, '%m-%d') = '11-11' and discount_amount > 0 and coupon_code is null`,
  "holdout contacts": `select count(*) from campaign_contacts where "group" = 'holdout'`,
};

describe("real-world untidiness", () => {
  for (const [what, sql] of Object.entries(PRESENT)) {
    it(what, async () => {
      expect(await scalar(db, sql)).toBeGreaterThan(0);
    });
  }

  it("buys most on 双11 and keeps about 2 to 4 orders per buyer", async () => {
    const { rows } = await db.query(
      "select strftime(ordered_at, '%m-%d') as day from orders group by all order by count(*) desc limit 1",
    );
    expect(rows[0]!.day).toBe("11-11");
    const perBuyer = await scalar(db, "select count(*) / count(distinct customer_id) from orders");
    expect(perBuyer).toBeGreaterThan(2);
    expect(perBuyer).toBeLessThan(4);
  });
});
