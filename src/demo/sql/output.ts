/**
 * The files of the raw data contract (shared/spec/raw-data.md): each table's columns with
 * their contract types, and the query that writes it. The large tables are queries of one
 * pre-formatted CSV text column (csv.ts), in an order fixed by the generating tables (written
 * with preserve_insertion_order) or by an ORDER BY on a unique key, so the bytes do not depend
 * on thread scheduling; the small ones with a name that may need quoting are typed queries.
 * Profile fields (city, gender, birth year, name, phone) and marketing spend are drawn here.
 */
import { CITIES, GIVEN_NAME_CHARACTERS, PHONE_PREFIXES, SURNAMES } from "../catalog.ts";
import { hash64, quarter, quarterIndex } from "../random.ts";
import { customerId, type SqlContext, timestampOf, u } from "./context.ts";
import { csvHeader, csvLiteral, csvRecord } from "./csv.ts";
import { PROFILE_STREAMS as P } from "./customers.ts";
import { createLookups, pickLookup } from "./lookups.ts";
import { ORDER_ROLES } from "./orderKeys.ts";
import { PURCHASE_KEY } from "./purchases.ts";

/** The tables of the raw data contract, in the contract's order. */
export const TABLES = [
  "customers",
  "orders",
  "order_items",
  "products",
  "campaigns",
  "campaign_contacts",
  "marketing_spend",
  "reviews",
] as const;
export type TableName = (typeof TABLES)[number];

/** The column types of the contract, as the warehouse types them. */
type ColumnType = "VARCHAR" | "TIMESTAMP" | "DECIMAL(18,2)" | "INTEGER" | "DATE";

/** Each table's columns, in the contract's order, with their types. */
export const COLUMNS: Record<TableName, readonly (readonly [string, ColumnType])[]> = {
  customers: [
    ["customer_id", "VARCHAR"],
    ["created_at", "TIMESTAMP"],
    ["member_since", "TIMESTAMP"],
    ["tier", "VARCHAR"],
    ["acquisition_channel", "VARCHAR"],
    ["referrer_id", "VARCHAR"],
    ["city", "VARCHAR"],
    ["gender", "VARCHAR"],
    ["birth_year", "INTEGER"],
    ["name", "VARCHAR"],
    ["phone", "VARCHAR"],
  ],
  orders: [
    ["order_id", "VARCHAR"],
    ["parent_order_id", "VARCHAR"],
    ["customer_id", "VARCHAR"],
    ["ordered_at", "TIMESTAMP"],
    ["status", "VARCHAR"],
    ["channel", "VARCHAR"],
    ["gross_amount", "DECIMAL(18,2)"],
    ["discount_amount", "DECIMAL(18,2)"],
    ["paid_amount", "DECIMAL(18,2)"],
    ["refunded_amount", "DECIMAL(18,2)"],
    ["refunded_at", "TIMESTAMP"],
    ["coupon_code", "VARCHAR"],
    ["campaign_id", "VARCHAR"],
  ],
  order_items: [
    ["order_id", "VARCHAR"],
    ["product_id", "VARCHAR"],
    ["quantity", "INTEGER"],
    ["unit_price", "DECIMAL(18,2)"],
    ["unit_cost", "DECIMAL(18,2)"],
  ],
  products: [
    ["product_id", "VARCHAR"],
    ["name", "VARCHAR"],
    ["category", "VARCHAR"],
    ["unit_cost", "DECIMAL(18,2)"],
    ["launched_at", "TIMESTAMP"],
  ],
  campaigns: [
    ["campaign_id", "VARCHAR"],
    ["name", "VARCHAR"],
    ["channel", "VARCHAR"],
    ["started_at", "TIMESTAMP"],
    ["response_window_days", "INTEGER"],
    ["offer", "VARCHAR"],
    ["cost_per_contact", "DECIMAL(18,2)"],
    ["coupon_cost", "DECIMAL(18,2)"],
  ],
  campaign_contacts: [
    ["campaign_id", "VARCHAR"],
    ["customer_id", "VARCHAR"],
    ["contacted_at", "TIMESTAMP"],
    ["group", "VARCHAR"],
  ],
  marketing_spend: [
    ["month", "DATE"],
    ["acquisition_channel", "VARCHAR"],
    ["spend", "DECIMAL(18,2)"],
  ],
  reviews: [
    ["order_id", "VARCHAR"],
    ["rating", "INTEGER"],
    ["created_at", "TIMESTAMP"],
  ],
};

/**
 * How a table is written: `text`, a query of one column of CSV records (several lines per row
 * allowed), or `typed`, a query of the contract's columns for DuckDB's own writer.
 */
export type Output = TextOutput | { kind: "typed"; query: string };
interface TextOutput {
  kind: "text";
  query: string;
  /** SQL to run first (a lookup table the query reads). */
  prepare?: string;
  /** When a row may hold several records: a query of one column `lines`, the number of records. */
  lines?: string;
}

/** The query of every table. */
export function outputs(ctx: SqlContext): Record<TableName, Output> {
  const ts = (seconds: string) => `${timestampOf(ctx, seconds)}::VARCHAR`;
  const campaignIds = [...ctx.campaigns]
    .sort((a, b) => a.number - b.number)
    .map((c) => csvLiteral(c.campaignId));
  const customers = customersOutput(ctx);
  const text = (table: TableName, query: string): TextOutput => ({
    kind: "text",
    query: query.replace("$header", `"${csvHeader(COLUMNS[table].map(([name]) => name))}"`),
  });
  return {
    customers: { ...text("customers", customers.query), prepare: customers.prepare },
    orders: text("orders", "select order_text as $header from demo_orders"),
    order_items: {
      ...text("order_items", "select items_text as $header from demo_orders"),
      lines: "select sum(item_lines) as lines from demo_orders",
    },
    // Reviews by the time they were written (then order id): a sort of the few reviewed rows.
    reviews: text(
      "reviews",
      `select review_text as $header from demo_orders where review_text is not null order by review_second, okey`,
    ),
    products: {
      kind: "typed",
      query: `select
    product_id,
    name,
    category,
    unit_cost,
    ${timestampOf(ctx, "launched_day * 86400 + 36000")} as launched_at
from demo_products
order by product_id`,
    },
    campaigns: {
      kind: "typed",
      query: `select
    campaign_id,
    name,
    channel,
    started_at::TIMESTAMP as started_at,
    window_days as response_window_days,
    offer,
    cost_per_contact,
    coupon_cost
from demo_campaigns
order by number`,
    },
    // Sorted while narrow (numbers only), then formatted in that order; the campaign_id is
    // looked up by number, as a join would not keep the order.
    campaign_contacts: text(
      "campaign_contacts",
      `select ${csvRecord([
        campaignIds.length === 0 ? "null" : `([${campaignIds.join(", ")}])[number]`,
        customerId("i"),
        ts("contact_second"),
        "case when is_holdout then 'holdout' else 'treatment' end",
      ])} as $header
from (select number, i, is_holdout, contact_second from demo_contacts order by number, i)`,
    ),
    marketing_spend: { kind: "typed", query: marketingSpendQuery(ctx) },
  };
}

/** The customers file: profile fields are drawn here, from lists of a lookup table (lookups.ts). */
function customersOutput(ctx: SqlContext): { prepare: string; query: string } {
  const tiers = [...ctx.params.members.tiers].sort((a, b) => b.minPaid - a.minPaid);
  const tier = tiers
    .map((t) => `when coalesce(paid_fen, 0) >= ${Math.round(t.minPaid * 100)} then '${t.name}'`)
    .join(" ");
  const lookups = createLookups();
  const city = pickLookup(lookups, "city", CITIES, "VARCHAR", (value) => csvLiteral(value));
  const gender = pickLookup(lookups, "gender", { 女: 0.68, 男: 0.27, "": 0.05 }, "VARCHAR", (value) =>
    csvLiteral(value),
  );
  const characters = (name: string, text: string) => {
    const list = lookups.list(
      name,
      [...text].map((character) => csvLiteral(character)),
      "VARCHAR",
    );
    return (uniform: string) => list(`floor(${uniform} * ${[...text].length})::INTEGER + 1`);
  };
  const surname = characters("surname", SURNAMES);
  const given = characters("given_name", GIVEN_NAME_CHARACTERS);
  const prefix = lookups.list(
    "phone_prefix",
    PHONE_PREFIXES.map((p) => csvLiteral(p)),
    "VARCHAR",
  );
  const digits = lookups.computed(
    "phone_digits",
    "(select list(lpad(k::VARCHAR, 4, '0') order by k) from range(10000) as t(k))",
  );
  const ts = (seconds: string) => `${timestampOf(ctx, seconds)}::VARCHAR`;
  const query = `with lifetime as (
    -- Lifetime paid amount per buyer: an order key's first two roles are the purchase itself.
    select okey // ${ORDER_ROLES * PURCHASE_KEY.perCustomer} as i, sum(paid_fen) as paid_fen
    from demo_orders
    where okey % ${ORDER_ROLES} <= 1
    group by all
),

sorted as (
    -- Sorted while narrow; a join's output order is not fixed, so the ORDER BY is needed.
    select
        customers.i,
        customers.created_second,
        customers.member_second,
        customers.acquisition_channel,
        customers.referrer,
        lifetime.paid_fen
    from demo_customers as customers
    left join lifetime on lifetime.i = customers.i
    where not customers.is_guest
    order by customers.i
),

profiles as (
    -- Coarse (16-bit) draws, four per hash: see random.ts quarter(). The one-row lookup table
    -- is joined after the sort, which it keeps.
    select
        * exclude (h1, h2, h3),
        ${city(quarterIndex("h1", 0))} as city_draw,
        ${quarter("h1", 1)} as u_city_missing,
        ${gender(quarterIndex("h1", 2))} as gender,
        ${quarter("h1", 3)} as u_birth_missing,
        ${quarter("h2", 0)} + ${quarter("h2", 1)} as u_birth,
        ${quarter("h2", 2)} as u_surname,
        ${quarter("h2", 3)} as u_given_1,
        ${quarter("h3", 0)} as u_given_2,
        ${quarter("h3", 1)} as u_given_count,
        ${quarter("h3", 2)} as u_phone_prefix,
        ${quarter("h3", 3)} as u_phone_digits
    from (
        select
            sorted.*,
            lookups.*,
            ${hash64(ctx.seed, "i", P.first)} as h1,
            ${hash64(ctx.seed, "i", P.second)} as h2,
            ${hash64(ctx.seed, "i", P.third)} as h3
        from sorted
        cross join demo_customer_output_lookups as lookups
    )
)

select ${csvRecord([
    customerId("i"),
    ts("created_second"),
    ts("member_second"),
    `case when member_second is not null then (case ${tier} end) end`,
    "acquisition_channel",
    customerId("referrer"),
    "if(u_city_missing < 0.05, null, city_draw)",
    "gender",
    "case when u_birth_missing < 0.15 then null else (1968 + floor(19 * u_birth))::INTEGER::VARCHAR end",
    `${surname("u_surname")}, ${given("u_given_1")}, if(u_given_count < 0.6, ${given("u_given_2")}, '')`,
    `${prefix(`1 + floor(u_phone_prefix * ${PHONE_PREFIXES.length})::INTEGER`)}, '****', ${digits("floor(u_phone_digits * 10000)::INTEGER + 1")}`,
  ])} as $header
from profiles`;
  return { prepare: lookups.tableSql("demo_customer_output_lookups"), query };
}

function marketingSpendQuery(ctx: SqlContext): string {
  const costs = ctx.params.marketing.costPerAcquisition;
  const channels = Object.keys(costs);
  const list = `[${channels.map((c) => `'${c}'`).join(", ")}]`;
  const cost = `case acquisition_channel ${channels.map((c) => `when '${c}' then ${costs[c]}`).join(" ")} end`;
  return `with acquired as (
    select
        date_trunc('month', ${timestampOf(ctx, "created_second")})::DATE as month,
        acquisition_channel,
        count(*) as customers
    from demo_customers
    where not is_guest
    group by all
),

keyed as (
    select
        *,
        (year(month) * 12 + month(month)) * 16 + list_position(${list}, acquisition_channel) as spend_key
    from acquired
    where list_position(${list}, acquisition_channel) is not null
)

select
    month,
    acquisition_channel,
    round(customers * ${cost} * (0.8 + 0.4 * ${u(ctx, "spend_key", S.spend)}), 2)::DECIMAL(18,2) as spend
from keyed
order by month, acquisition_channel`;
}

const S = { spend: 600 } as const;
