/**
 * The raw data contract (../shared/spec/raw-data.md) as data: every table, its columns with
 * their warehouse types, which are required, which are keys, which hold money or personal
 * data. Loading, validation and the product's sources/shop.yml all read this one table.
 */

/** How a column is parsed and typed in `raw.<table>`. */
export type ColumnKind = "id" | "text" | "timestamp" | "date" | "money" | "integer";

export interface ContractColumn {
  name: string;
  kind: ColumnKind;
  required: boolean;
  /** PII: replaced by a salted HMAC at load, never stored in clear. */
  pii?: boolean;
  /** Values allowed after the source's value mapping (an unknown value is rejected). */
  accepted?: readonly string[];
  /** Inclusive integer range (ratings). */
  range?: readonly [number, number];
  /** A value later than the load time is rejected (`future_timestamp`). */
  noFuture?: boolean;
}

export interface ContractTable {
  name: string;
  required: boolean;
  /** Columns that identify a row; conflicting rows sharing them are all rejected. */
  key?: readonly string[];
  columns: readonly ContractColumn[];
}

export const ORDER_STATUSES = ["paid", "refunded", "partially_refunded", "cancelled"] as const;
export const CONTACT_GROUPS = ["treatment", "holdout"] as const;

const req = (name: string, kind: ColumnKind, extra: Partial<ContractColumn> = {}): ContractColumn => ({
  name,
  kind,
  required: true,
  ...extra,
});
const opt = (name: string, kind: ColumnKind, extra: Partial<ContractColumn> = {}): ContractColumn => ({
  name,
  kind,
  required: false,
  ...extra,
});

/** The tables of raw-data.md v1.1, in load order (orders before order_items: orphans). */
export const CONTRACT: readonly ContractTable[] = [
  {
    name: "customers",
    required: true,
    key: ["customer_id"],
    columns: [
      req("customer_id", "id"),
      req("created_at", "timestamp", { noFuture: true }),
      opt("member_since", "timestamp", { noFuture: true }),
      opt("tier", "text"),
      opt("acquisition_channel", "text"),
      opt("referrer_id", "id"),
      opt("city", "text"),
      opt("gender", "text"),
      opt("birth_year", "integer"),
      opt("name", "text", { pii: true }),
      opt("phone", "text", { pii: true }),
    ],
  },
  {
    name: "orders",
    required: true,
    key: ["order_id"],
    columns: [
      req("order_id", "id"),
      opt("parent_order_id", "id"),
      req("customer_id", "id"),
      req("ordered_at", "timestamp", { noFuture: true }),
      req("status", "text", { accepted: ORDER_STATUSES }),
      opt("channel", "text"),
      opt("gross_amount", "money"),
      opt("discount_amount", "money"),
      req("paid_amount", "money"),
      opt("refunded_amount", "money"),
      opt("refunded_at", "timestamp", { noFuture: true }),
      opt("coupon_code", "text"),
      opt("campaign_id", "id"),
    ],
  },
  {
    name: "order_items",
    required: false,
    columns: [
      req("order_id", "id"),
      req("product_id", "id"),
      req("quantity", "integer"),
      req("unit_price", "money"),
      opt("unit_cost", "money"),
    ],
  },
  {
    name: "products",
    required: false,
    key: ["product_id"],
    columns: [
      req("product_id", "id"),
      req("name", "text"),
      req("category", "text"),
      opt("unit_cost", "money"),
      opt("launched_at", "timestamp"),
    ],
  },
  {
    name: "campaigns",
    required: false,
    key: ["campaign_id"],
    columns: [
      req("campaign_id", "id"),
      req("name", "text"),
      req("channel", "text"),
      req("started_at", "timestamp"),
      opt("response_window_days", "integer", { range: [1, 3650] }),
      opt("offer", "text"),
      opt("cost_per_contact", "money"),
      opt("coupon_cost", "money"),
    ],
  },
  {
    name: "campaign_contacts",
    required: false,
    columns: [
      req("campaign_id", "id"),
      req("customer_id", "id"),
      req("contacted_at", "timestamp", { noFuture: true }),
      req("group", "text", { accepted: CONTACT_GROUPS }),
    ],
  },
  {
    name: "marketing_spend",
    required: false,
    key: ["month", "acquisition_channel"],
    columns: [req("month", "date"), req("acquisition_channel", "text"), req("spend", "money")],
  },
  {
    name: "reviews",
    required: false,
    columns: [
      req("order_id", "id"),
      req("rating", "integer", { range: [1, 5] }),
      req("created_at", "timestamp", { noFuture: true }),
    ],
  },
];

/** The warehouse type of a column kind. */
export const SQL_TYPE: Record<ColumnKind, string> = {
  id: "VARCHAR",
  text: "VARCHAR",
  timestamp: "TIMESTAMP",
  date: "DATE",
  money: "DECIMAL(18,2)",
  integer: "INTEGER",
};

/** The contract table of that name, or undefined for a table outside the contract. */
export function contractTable(name: string): ContractTable | undefined {
  return CONTRACT.find((table) => table.name === name);
}
