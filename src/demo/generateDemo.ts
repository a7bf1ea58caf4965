/**
 * `generateDemo`: writes the synthetic shop (the raw data contract plus truth.json) to a folder.
 * All rows are generated and written by DuckDB (in memory, spilling to a temporary folder past
 * its memory limit); JavaScript only holds the plan, the parameters and a few counts. The same
 * options give byte-identical files: every draw is a hash of its key, and the row order is
 * fixed (the orders are sorted by time once, while their rows are narrow, and every step after
 * keeps that order). The large files are written as pre-formatted CSV text (sql/csv.ts).
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Adapter } from "../engine/adapters/adapter.ts";
import { quoteLiteral } from "../engine/adapters/adapter.ts";
import { openDuckDB } from "../engine/adapters/duckdb.ts";
import { buildCalendar } from "./calendar.ts";
import { planCampaigns } from "./campaignPlan.ts";
import { buildProducts, productsSql } from "./catalog.ts";
import { defaultParameters } from "./parameters.ts";
import { campaignEffectsSql, campaignsTableSql, contactsSql } from "./sql/campaigns.ts";
import type { SqlContext } from "./sql/context.ts";
import { customerDrawsSql, customersSql } from "./sql/customers.ts";
import { ORDER_ROLES, orderKeysSql } from "./sql/orderKeys.ts";
import { orderRowsSql } from "./sql/orderRows.ts";
import { COLUMNS, type Output, outputs, TABLES, type TableName } from "./sql/output.ts";
import { naturalPurchasesSql, PURCHASE_KEY } from "./sql/purchases.ts";
import { campaignTruth, modelDescription, type Truth } from "./truth.ts";

export type { CampaignTruth, Truth } from "./truth.ts";

export interface GenerateDemoOptions {
  outDir: string;
  /** CRM customers (buyers, fans and a few guests missing from the export); about 3 orders per buyer. */
  customers: number;
  seed: number;
  format: "csv" | "parquet";
  onProgress?: (message: string) => void;
  /** DuckDB memory limit (default 4GB); beyond it, intermediate tables spill to a temporary folder. */
  memoryLimit?: string;
}

/** Largest supported size: customer numbers must fit the 8 digits of a customer_id. */
export const MAX_CUSTOMERS = 50_000_000;

/** Generates the demo shop into `outDir` and returns its truth (also written as truth.json). */
export async function generateDemo(options: GenerateDemoOptions): Promise<Truth> {
  const { outDir, customers, seed, format } = options;
  if (!(Number.isInteger(customers) && customers >= 1 && customers <= MAX_CUSTOMERS)) {
    throw new Error(`invalid customers: ${customers}`);
  }
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 2 ** 31 - 1)) throw new Error(`invalid seed: ${seed}`);
  if (format !== "csv" && format !== "parquet") throw new Error(`invalid format: ${format}`);
  const progress = options.onProgress ?? (() => {});
  const params = defaultParameters;
  const calendar = buildCalendar(params.period.start, params.period.end, params.customers.acquisitionGrowth);
  const last = calendar.at(-1)!;
  const ctx: SqlContext = {
    seed,
    customers,
    params,
    periodDays: calendar.length,
    calendar,
    totalIntensity: last.intensityBefore + last.intensity,
    totalAcquisition: last.acquisitionBefore + last.acquisition,
    campaigns: planCampaigns(seed, params.period.start, params.period.end, params.campaigns.maxContacts),
  };

  await mkdir(outDir, { recursive: true });
  const spill = await mkdtemp(join(tmpdir(), "huitou-demo-"));
  const db = await openDuckDB(":memory:", { memoryLimit: options.memoryLimit ?? "4GB" });
  try {
    // Intermediate tables live briefly: compressing them costs more time than it saves. The
    // referrer lookup is an ASOF join whose left side DuckDB may underestimate; its nested-loop
    // fallback is 50 times slower there. Until the order keys are sorted, no table needs a row
    // order (every draw is keyed, every sum exact, every window ordered on a unique key): not
    // preserving it saves memory and work.
    await db.execute(`set force_compression = 'uncompressed'; set asof_loop_join_threshold = 0;
      set temp_directory = ${quoteLiteral(spill)}; set preserve_insertion_order = false;`);
    const step = async (message: string, sql: string) => {
      await db.execute(sql);
      progress(message);
    };
    const products = buildProducts(seed, calendar.length);
    await step("products", productsSql(products));
    await step(
      `customers: ${customers.toLocaleString("en-US")} drawn`,
      `${customerDrawsSql(ctx)};\n${customersSql(ctx)};\ndrop table demo_customer_numbers; drop table demo_customer_draws; drop table demo_member_ranks; drop table demo_customer_lookups;`,
    );
    await step(
      "purchases: buying process simulated",
      `${naturalPurchasesSql(ctx)};\ndrop table demo_purchase_lookups;`,
    );
    await step(
      `campaigns: ${ctx.campaigns.length} planned, contacts drawn`,
      `${campaignsTableSql(ctx.campaigns)}\n${contactsSql(ctx)};\n${campaignEffectsSql(ctx)};\ndrop table demo_segment_ranks; drop table demo_strata; drop table demo_contact_purchases;`,
    );
    // Each intermediate table is dropped once consumed: memory is the largest tables alive at once.
    await step(
      "orders: laid out in time order",
      `${orderKeysSql(ctx)};\n${purchaseCountsSql()};\ndrop table demo_natural_purchases; drop table demo_induced_purchases; drop table demo_redemption_candidates;`,
    );
    // From here on every table and file keeps the order of the sorted order keys.
    await db.execute("set preserve_insertion_order = true");
    await step(
      "orders: priced, items and reviews",
      `${orderRowsSql(ctx, products)};\ndrop table demo_order_keys; drop table demo_order_lookups;`,
    );

    const counts = {} as Record<TableName, number>;
    const queries = outputs(ctx);
    const write = async (table: TableName) => {
      const file = `${table}.${format}`;
      counts[table] = await writeTable(db, queries[table], table, join(outDir, file), format, spill);
      progress(`${file}: ${counts[table].toLocaleString("en-US")} rows`);
    };
    // The files read from demo_orders go first (the customers' tiers too), so it can be dropped.
    for (const table of ["orders", "order_items", "reviews", "customers"] as const) await write(table);
    await db.execute("drop table demo_orders");
    for (const table of TABLES) if (counts[table] === undefined) await write(table);
    const files = TABLES.map((table) => `${table}.${format}`);
    // truth.json lists the counts in the contract's table order, whatever the writing order.
    const tableCounts = Object.fromEntries(TABLES.map((table) => [table, counts[table]])) as typeof counts;
    const truth = await buildTruth(db, ctx, format, tableCounts, files);
    await writeAtomically(join(outDir, "truth.json"), `${JSON.stringify(truth, null, 2)}\n`);
    return truth;
  } finally {
    await db.close();
    await rm(spill, { recursive: true, force: true });
  }
}

/** SQL creating `demo_purchase_counts` (campaign_number, purchases) from the order keys, for truth.json. */
function purchaseCountsSql(): string {
  const local = `(okey // ${ORDER_ROLES}) % ${PURCHASE_KEY.perCustomer}`;
  return `create or replace table demo_purchase_counts as
select
    -- Induced purchases are the ones with a campaign number (campaigns.ts).
    case when ${local} >= ${PURCHASE_KEY.induced} then ${local} - ${PURCHASE_KEY.induced} end as campaign_number,
    count(*) as purchases
from demo_order_keys
where okey % ${ORDER_ROLES} = 0
group by all`;
}

/**
 * Writes one table to `path` through a temporary name; returns its row count. A text query's
 * records are written as they are; as Parquet, they are written as CSV first and read back
 * with the contract's types, so both formats hold the same values.
 */
async function writeTable(
  db: Adapter,
  output: Output,
  table: TableName,
  path: string,
  format: "csv" | "parquet",
  spill: string,
): Promise<number> {
  const temporary = `${path}.tmp`;
  const parquet = "format parquet, compression zstd";
  let count: number;
  if (output.kind === "typed") {
    count = await copy(db, output.query, temporary, format === "csv" ? "format csv, header true" : parquet);
  } else {
    const csv = format === "csv" ? temporary : join(spill, `${table}.csv`);
    if (output.prepare) await db.execute(output.prepare);
    // No quoting: every record is already CSV (csv.ts). A row may hold several records.
    count = await copy(db, output.query, csv, "format csv, header true, quote '', escape ''");
    if (output.lines) count = Number((await db.query(output.lines)).rows[0]?.lines ?? 0);
    if (format === "parquet") {
      const columns = COLUMNS[table]
        .map(([name, type]) => `${quoteLiteral(name)}: ${quoteLiteral(type)}`)
        .join(", ");
      count = await copy(
        db,
        `select * from read_csv(${quoteLiteral(csv)}, header = true, auto_detect = false, delim = ',', quote = '', escape = '', columns = {${columns}})`,
        temporary,
        parquet,
      );
      await rm(csv);
    }
  }
  await rename(temporary, path);
  return count;
}

/** Runs a COPY of a query's rows; returns the number of rows written. */
async function copy(db: Adapter, query: string, path: string, options: string): Promise<number> {
  const { rows } = await db.query(`copy (${query}) to ${quoteLiteral(path)} (${options})`);
  return Number(rows[0]?.Count ?? 0);
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}

async function buildTruth(
  db: Adapter,
  ctx: SqlContext,
  format: "csv" | "parquet",
  tableCounts: Record<TableName, number>,
  files: string[],
): Promise<Truth> {
  const { rows: populations } = await db.query(`select
    count(*) filter (where is_fan) as fans,
    count(*) filter (where not is_fan) as buyers,
    count(*) filter (where is_guest) as guests,
    count(*) filter (where member_second is not null) as members,
    count(referrer) as referred,
    (select sum(purchases) from demo_purchase_counts) as purchases,
    -- Induced purchases are the ones with a campaign number (purchasesSql).
    (select coalesce(sum(purchases), 0) from demo_purchase_counts where campaign_number is not null) as induced
from demo_customers`);
  const population = populations[0]!;
  const { rows: effects } = await db.query(`with induced as (
    select campaign_number, purchases as induced from demo_purchase_counts where campaign_number is not null
)
select
    effects.number, effects.contacts, effects.holdout, effects.natural_rate, effects.persuasion,
    coalesce(induced.induced, 0) as induced
from demo_campaign_effects as effects
left join induced on induced.campaign_number = effects.number
order by effects.number`);
  const byNumber = new Map(effects.map((row) => [Number(row.number), row]));
  const campaigns = ctx.campaigns.map((plan) => {
    const row = byNumber.get(plan.number);
    return campaignTruth(plan, {
      contacts: Number(row?.contacts ?? 0),
      holdout: Number(row?.holdout ?? 0),
      naturalRate: Number(row?.natural_rate ?? 0),
      persuasion: Number(row?.persuasion ?? 0),
      induced: Number(row?.induced ?? 0),
    });
  });
  return {
    generator: "huitou demo",
    version: 1,
    seed: ctx.seed,
    customers: ctx.customers,
    format,
    period: { ...ctx.params.period, lastTimestamp: `${ctx.params.period.end} 23:59:59` },
    parameters: ctx.params,
    model: modelDescription(ctx.params),
    campaigns,
    counts: {
      ...tableCounts,
      fans: Number(population.fans),
      buyers: Number(population.buyers),
      guests: Number(population.guests),
      members: Number(population.members),
      referred: Number(population.referred),
      purchases: Number(population.purchases),
      inducedPurchases: Number(population.induced),
    },
    files: [...files, "truth.json"],
  };
}
