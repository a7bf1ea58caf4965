/**
 * The queries whose results are the files of the raw data contract (shared/spec/raw-data.md),
 * one per table, with the contract's column names and types and an ORDER BY on a unique key so
 * the bytes do not depend on thread scheduling. Profile fields (city, gender, birth year, name,
 * phone), reviews and marketing spend are drawn here, on the way out.
 */
import { CITIES, GIVEN_NAME_CHARACTERS, PHONE_PREFIXES, SURNAMES } from "../catalog.ts";
import { hash64, pick, quarter } from "../random.ts";
import { customerId, type SqlContext, timestampOf, u } from "./context.ts";
import { PROFILE_STREAMS as P } from "./customers.ts";
import { ORDER_ROLES, orderId } from "./orderRows.ts";

/** The tables of the raw data contract, in the order they are written. */
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

const S = { rating: 500, ratingValue: 501, spend: 600 } as const;

/** One SELECT per contract table. */
export function outputQueries(ctx: SqlContext): Record<TableName, string> {
  const ts = (seconds: string) => timestampOf(ctx, seconds);
  return {
    customers: customersQuery(ctx),
    orders: `select
    ${orderId("okey")} as order_id,
    parent_order_id,
    ${customerId("i")} as customer_id,
    ${ts("order_second")} as ordered_at,
    status,
    channel,
    gross_amount,
    discount_amount,
    paid_amount,
    refunded_amount,
    ${ts("refunded_second")} as refunded_at,
    coupon_code,
    campaign_id
from demo_orders
order by order_second, okey`,
    // An order's items: its child's lines, or all lines for the duplicates (roles 2 and 3).
    // Lines of one order with the same product, price and cost are one line (quantities
    // summed): an exact duplicate line would load once (raw-data contract). Only the purchases
    // flagged in demo_repeat_candidates (orderRows.ts) can hold such a pair; only they are grouped.
    order_items: `with keyed as not materialized (
    select pkey * ${ORDER_ROLES} + child - 1 as okey, * from demo_items
    union all
    select pkey * ${ORDER_ROLES} + 2, * from demo_items where has_cancelled
    union all
    select pkey * ${ORDER_ROLES} + 3, * from demo_items where has_refunded
),

lines as (
    select okey, line, product_id, quantity, unit_price, unit_cost
    from keyed
    anti join demo_repeat_candidates as candidates on candidates.pkey = keyed.pkey
    union all
    select okey, min(line), product_id, sum(quantity)::INTEGER, unit_price, unit_cost
    from keyed
    semi join demo_repeat_candidates as candidates on candidates.pkey = keyed.pkey
    group by okey, product_id, unit_price, unit_cost
)

select
    ${orderId("okey")} as order_id,
    product_id,
    quantity,
    unit_price,
    unit_cost
from lines
order by okey, line`,
    products: `select
    product_id,
    name,
    category,
    unit_cost,
    ${ts("launched_day * 86400 + 36000")} as launched_at
from demo_products
order by product_id`,
    campaigns: `select
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
    campaign_contacts: `select
    campaigns.campaign_id,
    ${customerId("contacts.i")} as customer_id,
    ${ts("contacts.contact_second")} as contacted_at,
    case when contacts.is_holdout then 'holdout' else 'treatment' end as "group"
from demo_contacts as contacts
inner join demo_campaigns as campaigns on campaigns.number = contacts.number
order by contacts.number, contacts.i`,
    marketing_spend: marketingSpendQuery(ctx),
    reviews: reviewsQuery(ctx),
  };
}

function customersQuery(ctx: SqlContext): string {
  const i = "customers.i";
  const tiers = [...ctx.params.members.tiers].sort((a, b) => b.minPaid - a.minPaid);
  const tier = tiers.map((t) => `when coalesce(lifetime.paid, 0) >= ${t.minPaid} then '${t.name}'`).join(" ");
  const character = (text: string, column: string) =>
    `substr('${text}', 1 + floor(${column} * ${[...text].length})::INTEGER, 1)`;
  const prefixes = `[${PHONE_PREFIXES.map((p) => `'${p}'`).join(", ")}]`;
  return `with lifetime as (
    select i, sum(paid_amount) as paid
    from demo_orders
    where role <= 1 and status in ('paid', 'partially_refunded')
    group by i
),

profiles as (
    -- Coarse (16-bit) draws, four per hash: see random.ts quarter().
    select
        * exclude (h1, h2, h3),
        ${quarter("h1", 0)} as u_city,
        ${quarter("h1", 1)} as u_city_missing,
        ${quarter("h1", 2)} as u_gender,
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
            customers.*,
            ${hash64(ctx.seed, i, P.first)} as h1,
            ${hash64(ctx.seed, i, P.second)} as h2,
            ${hash64(ctx.seed, i, P.third)} as h3
        from demo_customers as customers
        where not customers.is_guest
    )
)

select
    ${customerId("profiles.i")} as customer_id,
    ${timestampOf(ctx, "profiles.created_second")} as created_at,
    ${timestampOf(ctx, "profiles.member_second")} as member_since,
    case when profiles.member_second is not null then (case ${tier} end) end as tier,
    profiles.acquisition_channel,
    ${customerId("profiles.referrer")} as referrer_id,
    case when u_city_missing < 0.05 then null else ${pick("u_city", CITIES)} end as city,
    nullif(${pick("u_gender", { 女: 0.68, 男: 0.27, "": 0.05 })}, '') as gender,
    case when u_birth_missing < 0.15 then null else (1968 + floor(19 * u_birth))::INTEGER end as birth_year,
    ${character(SURNAMES, "u_surname")} || ${character(GIVEN_NAME_CHARACTERS, "u_given_1")}
        || case when u_given_count < 0.6 then ${character(GIVEN_NAME_CHARACTERS, "u_given_2")} else '' end as name,
    ${prefixes}[1 + floor(u_phone_prefix * ${PHONE_PREFIXES.length})::INTEGER]
        || '****' || lpad(floor(u_phone_digits * 10000)::INTEGER::VARCHAR, 4, '0') as phone
from profiles
left join lifetime on lifetime.i = profiles.i
order by profiles.i`;
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

function reviewsQuery(ctx: SqlContext): string {
  const r = ctx.params.reviews;
  return `with reviewed as (
    select
        purchases.pkey,
        purchases.review_second,
        ${r.lowRatingBase} + ${r.lowRatingSlope} * customers.dropout_probability as low_probability,
        ${u(ctx, "purchases.pkey", S.rating)} as u_low,
        ${u(ctx, "purchases.pkey", S.ratingValue)} as u_value
    from demo_purchases as purchases
    inner join demo_customers as customers on customers.i = purchases.i
    where purchases.review_second is not null
)

select
    ${orderId(`pkey * ${ORDER_ROLES}`)} as order_id,
    case
        when u_low < low_probability then (case when u_value < 0.6 then 1 else 2 end)
        else ${pick("u_value", { 3: 0.1, 4: 0.25, 5: 0.65 }, false)}
    end::INTEGER as rating,
    ${timestampOf(ctx, "review_second")} as created_at
from reviewed
order by review_second, pkey`;
}
