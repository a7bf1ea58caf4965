/**
 * The per-customer stages of the campaign marts (int_campaign_contacts_deduplicated,
 * int_campaign_contact_responses, int_campaign_contact_categories) are rebuilt per customer by
 * macros/refresh_contacts.sql, that of the category marts (int_buyer_categories) by
 * macros/buyers_to_refresh.sql. tests/publish/incrementalRefresh.test.ts covers daily drops
 * and as_of moving across purchase dates; this covers the cases that hook adds to
 * customers_to_refresh, each against a full build of the same files (an independent method:
 * no incremental state at all):
 * - re-exported orders move to another customer (c06, never contacted): both of c15's
 *   purchases o027 and o034 (their old rows must go: they have no purchase left) and c07's
 *   o029 (c07 keeps their other purchases);
 * - a campaign contact arrives in a later file (c24 in cmp_1111, who bought o049 the next day);
 * - as_of moves back across a contact day but across none of the customer's purchases: c04
 *   was held out of cmp_2503 on 2025-03-05 and last bought on 2025-01-05; at as_of
 *   2025-03-04 that contact is not there yet.
 */
import { cp, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import type { RunOutcome } from "../../src/engine/session.ts";
import { buildProject, DAILY_TABLES, dailyDropProject, temporary } from "../setup/dailyDropProject.ts";

const repo = join(import.meta.dirname, "../..");
const fixture = join(repo, "tests/fixtures/shop-small/data");
const WHOLE = ["products", "campaigns", "marketing_spend"];
/**
 * The incremental tables of macros/refresh_contacts.sql, and int_buyer_categories (per buyer
 * and category, macros/buyers_to_refresh.sql): c15 left without a purchase must lose its rows.
 */
const STAGES = [
  "int_campaign_contacts_deduplicated",
  "int_campaign_contact_responses",
  "int_campaign_contact_categories",
  "int_buyer_categories",
];
/** What they feed. */
const MARTS = [
  "campaign_response",
  "campaign_response_categories",
  "campaign_uplift",
  "category_repurchase",
  "cross_category",
  "product_roles",
  "category_roles",
];

/** A copy of the product's project whose daily sources read the daily-drop folders. */
const project = () => dailyDropProject("huitou-aggregates-");

/** The fixture as a first delivery: every daily table in file 1. */
async function firstDelivery(data: string): Promise<void> {
  const db = await openDuckDB(":memory:");
  const csv = (table: string) =>
    `read_csv('${join(fixture, `${table}.csv`)}', all_varchar = true, header = true)`;
  for (const table of DAILY_TABLES) {
    await mkdir(join(data, table), { recursive: true });
    await db.execute(
      `copy (select * from ${csv(table)}) to '${join(data, table, "1.csv")}' (format csv, header true)`,
    );
  }
  for (const table of ["customers", ...WHOLE])
    await cp(join(fixture, `${table}.csv`), join(data, `${table}.csv`));
  await db.close();
}

/** The second delivery: o027, o029 and o034 re-exported under c06, a late contact. */
async function secondDelivery(data: string): Promise<void> {
  const db = await openDuckDB(":memory:");
  const csv = (table: string) =>
    `read_csv('${join(fixture, `${table}.csv`)}', all_varchar = true, header = true)`;
  await db.execute(`copy (
      select * replace ('c06' as customer_id)
      from ${csv("orders")} where order_id in ('o027', 'o029', 'o034')
    ) to '${join(data, "orders", "2.csv")}' (format csv, header true)`);
  await db.execute(`copy (
      select 'cmp_1111' as campaign_id, 'c24' as customer_id, '2024-11-10 10:00:00' as contacted_at,
          'treatment' as "group"
    ) to '${join(data, "campaign_contacts", "2.csv")}' (format csv, header true)`);
  await db.close();
}

const build = (projectDir: string, dataDir: string, asOf?: string) =>
  buildProject(projectDir, dataDir, asOf ? { asOf } : {});

/** The tables whose rows differ between the two warehouses, bookkeeping columns aside. */
async function differences(refreshed: string, full: string): Promise<string[]> {
  const db = await openDuckDB(join(refreshed, "target/warehouse.duckdb"), { readOnly: true });
  try {
    await db.execute(`attach '${join(full, "target/warehouse.duckdb")}' as rebuilt (read_only)`);
    const out: string[] = [];
    for (const table of [...STAGES, ...MARTS]) {
      const { rows: columns } = await db.query(
        `select column_name as name, data_type as type from duckdb_columns()
         where database_name = 'warehouse' and schema_name = 'main' and table_name = $table`,
        { table },
      );
      expect(columns.length, table).toBeGreaterThan(0);
      const list = columns
        .filter((column) => !String(column.name).startsWith("_"))
        .map((column) =>
          /DOUBLE|FLOAT/.test(String(column.type)) ? `round("${column.name}", 9)` : `"${column.name}"`,
        )
        .join(", ");
      const { rows } = await db.query(`select
          (select count(*) from (select ${list} from warehouse.main.${table} except all select ${list} from rebuilt.main.${table})) as only_refreshed,
          (select count(*) from (select ${list} from rebuilt.main.${table} except all select ${list} from warehouse.main.${table})) as only_full`);
      const row = rows[0] ?? {};
      if (Number(row.only_refreshed) + Number(row.only_full) > 0) {
        out.push(
          `${table}: ${row.only_refreshed} rows only in the refreshed warehouse, ${row.only_full} only in the full build`,
        );
      }
    }
    return out;
  } finally {
    await db.close();
  }
}

async function rows(projectDir: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = await openDuckDB(join(projectDir, "target/warehouse.duckdb"), { readOnly: true });
  try {
    return (await db.query(sql)).rows;
  } finally {
    await db.close();
  }
}

const message = (outcome: RunOutcome, name: string) =>
  outcome.results.find((result) => result.name === name)?.message ?? "";

const expectAppended = (outcome: RunOutcome) => {
  for (const name of STAGES)
    expect(`${name}: ${message(outcome, name)}`).toMatch(new RegExp(`^${name}: rows appended`));
};

describe("the aggregate marts' per-customer stages, refreshed", () => {
  it("follow moved purchases, late contacts and as_of crossing a contact day", async () => {
    const refreshedProject = await project();
    const data = await temporary("huitou-aggregates-data-");
    await firstDelivery(data);
    await build(refreshedProject, data);
    // Before: c15's contact of 2024-06-10 09:00 in cmp_0618 (windows 7, 10 = its own, 14 and 30
    // days) holds o027 (06-10 12:00) in all four and o034 (06-25 13:00) in the 30 days only.
    const c15 = "select window_days from int_campaign_contact_responses where customer_id = 'c15' order by 1";
    expect(await rows(refreshedProject, c15)).toEqual([
      { window_days: 7 },
      { window_days: 10 },
      { window_days: 14 },
      { window_days: 30 },
    ]);

    await secondDelivery(data);
    const moved = await build(refreshedProject, data);
    expectAppended(moved);
    // c15 bought nothing any more: no response left.
    expect(await rows(refreshedProject, c15)).toEqual([]);
    // c24's contact of 2024-11-10 in cmp_1111 (14-day window) holds o049 of 2024-11-11.
    expect(
      await rows(
        refreshedProject,
        "select window_days from int_campaign_contact_responses where customer_id = 'c24' order by window_days",
      ),
    ).toEqual([{ window_days: 7 }, { window_days: 14 }, { window_days: 30 }]);
    let fullProject = await project();
    await build(fullProject, data);
    expect(await differences(refreshedProject, fullProject)).toEqual([]);

    // as_of 2025-03-04: c04's holdout contact of 2025-03-05 in cmp_2503 is not there yet.
    const earlier = await build(refreshedProject, data, "2025-03-04");
    expectAppended(earlier);
    expect(
      await rows(
        refreshedProject,
        "select count(*) as n from int_campaign_contacts_deduplicated where customer_id = 'c04' and campaign_id = 'cmp_2503'",
      ),
    ).toEqual([{ n: 0 }]);
    fullProject = await project();
    await build(fullProject, data, "2025-03-04");
    expect(await differences(refreshedProject, fullProject)).toEqual([]);
  }, 600_000);

  it("fill a stage that was empty when first built (the contacts arrive a day later)", async () => {
    // An incremental table built from no rows has no watermark (max of nothing is null): the
    // rule must then take every row as new, not compare with null and take none.
    const refreshedProject = await project();
    const data = await temporary("huitou-aggregates-data-");
    await firstDelivery(data);
    const contacts = join(data, "campaign_contacts");
    const db = await openDuckDB(":memory:");
    const all = `read_csv('${join(contacts, "1.csv")}', all_varchar = true, header = true)`;
    await db.execute(
      `copy (select * from ${all}) to '${join(data, "contacts-later.csv")}' (format csv, header true)`,
    );
    await db.execute(
      `copy (select * from ${all} where false) to '${join(contacts, "0.csv")}' (format csv, header true)`,
    );
    await rm(join(contacts, "1.csv"));
    await build(refreshedProject, data);
    const count = "select count(*) as n from int_campaign_contacts_deduplicated";
    expect(await rows(refreshedProject, count)).toEqual([{ n: 0 }]);

    await db.execute(`copy (select * from read_csv('${join(data, "contacts-later.csv")}', all_varchar = true, header = true))
      to '${join(contacts, "1.csv")}' (format csv, header true)`);
    await db.close();
    await build(refreshedProject, data);
    const fullProject = await project();
    await build(fullProject, data);
    expect(await rows(fullProject, count)).not.toEqual([{ n: 0 }]);
    expect(await differences(refreshedProject, fullProject)).toEqual([]);
  }, 600_000);
});
