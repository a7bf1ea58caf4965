/**
 * The incremental refresh against its definition: a warehouse refreshed day by day must hold
 * exactly what a full build of the same files holds. The shop-small fixture is cut into three
 * deliveries as a shop would send them: orders, items, reviews and contacts in daily-drop
 * folders (`load.mode: append`), each delivery a new file; an order refunded after a cut is
 * exported as paid first and re-exported refunded in the delivery of its refund day; the CRM
 * is a full export each time. After each delivery the incrementally refreshed warehouse is
 * compared, table by table, with a full build of the files delivered so far; then as_of is
 * moved forwards and back over the same files, and an order is deleted from an earlier file;
 * then split purchases whose children name different buyers are delivered and changed (a
 * child cancelled, an item line and a review loaded for an old child, a child re-exported
 * under another customer); compared again after each, and each refresh must have rebuilt
 * exactly the buyers the change could move a purchase between.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import type { RunOutcome } from "../../src/engine/session.ts";
import { buildProject, dailyDropProject, temporary } from "../setup/dailyDropProject.ts";

const repo = join(import.meta.dirname, "../..");
const fixture = join(repo, "tests/fixtures/shop-small/data");
const DAILY = {
  orders: "ordered_at",
  order_items: null,
  reviews: "created_at",
  campaign_contacts: "contacted_at",
};
const WHOLE = ["products", "campaigns", "marketing_spend"];
/** The last day of each delivery; the last delivery brings everything (final versions). */
const CUTS = ["2025-01-31", "2025-02-21", "9999-12-31"];

/** A copy of the product's project whose daily sources read the daily-drop folders. */
const project = () => dailyDropProject("huitou-incremental-");

/** Writes delivery `k` (0-based) of the fixture into `data` (earlier deliveries stay). */
async function deliver(data: string, k: number): Promise<void> {
  const db = await openDuckDB(":memory:");
  const cut = `date '${CUTS[k]}'`;
  const previous = k === 0 ? "date '0001-01-01'" : `date '${CUTS[k - 1]}'`;
  const csv = (table: string) =>
    `read_csv('${join(fixture, `${table}.csv`)}', all_varchar = true, header = true)`;
  const copy = async (sql: string, file: string) => {
    await mkdir(join(data, file, ".."), { recursive: true });
    await db.execute(`copy (${sql}) to '${join(data, file)}' (format csv, header true)`);
  };
  const day = (column: string) => `try_cast(${column} as timestamp)::date`;
  // A row belongs to the delivery of its day; a row without a readable day to the first.
  const inDelivery = (column: string) =>
    `(${day(column)} > ${previous} and ${day(column)} <= ${cut})${k === 0 ? ` or ${day(column)} is null` : ""}`;
  await db.execute(`create table orders as select * from ${csv("orders")}`);
  const refundLater = `${day("refunded_at")} > ${cut}`;
  await copy(
    `select order_id, parent_order_id, customer_id, ordered_at,
        case when ${refundLater} and status in ('refunded', 'partially_refunded') then 'paid' else status end as status,
        channel, gross_amount, discount_amount, paid_amount,
        case when ${refundLater} then '0.00' else refunded_amount end as refunded_amount,
        case when ${refundLater} then null else refunded_at end as refunded_at,
        coupon_code, campaign_id
     from orders where ${inDelivery("ordered_at")}
     union all
     -- an order placed earlier whose refund happened in this delivery: exported again, as it is now
     select * from orders
     where ${day("ordered_at")} <= ${previous} and ${day("refunded_at")} > ${previous} and ${day("refunded_at")} <= ${cut}`,
    `orders/${k + 1}.csv`,
  );
  await copy(
    `select * from ${csv("order_items")} where order_id in (select order_id from orders where ${inDelivery("ordered_at")})`,
    `order_items/${k + 1}.csv`,
  );
  for (const table of ["reviews", "campaign_contacts"] as const) {
    await copy(`select * from ${csv(table)} where ${inDelivery(DAILY[table])}`, `${table}/${k + 1}.csv`);
  }
  await copy(
    `select * from ${csv("customers")} where ${day("created_at")} <= ${cut} or ${day("created_at")} is null`,
    "customers.csv",
  );
  for (const table of WHOLE) await copy(`select * from ${csv(table)}`, `${table}.csv`);
  await db.close();
}

const build = (
  projectDir: string,
  dataDir: string,
  asOf?: string,
  vars: Record<string, string> = {},
  select?: string,
): Promise<RunOutcome> =>
  buildProject(projectDir, dataDir, { ...(asOf ? { asOf } : {}), vars, ...(select ? { select } : {}) });

/** Tables (main and raw) whose rows differ between the two warehouses, bookkeeping columns aside. */
async function differences(refreshed: string, full: string): Promise<string[]> {
  const db = await openDuckDB(join(refreshed, "target/warehouse.duckdb"), { readOnly: true });
  try {
    await db.execute(`attach '${join(full, "target/warehouse.duckdb")}' as rebuilt (read_only)`);
    const { rows: tables } = await db.query(`select schema_name, table_name from duckdb_tables()
        where database_name = 'warehouse' and schema_name in ('main', 'raw')
            and table_name <> 'row_deletions' -- what a refresh noticed: a full build has nothing to notice
        order by all`);
    const out: string[] = [];
    for (const table of tables) {
      const { rows: columns } = await db.query(
        `select column_name as name, data_type as type from duckdb_columns()
         where database_name = 'warehouse' and schema_name = $schema and table_name = $table`,
        { schema: String(table.schema_name), table: String(table.table_name) },
      );
      // Bookkeeping differs by design: when a file was registered, when freshness was checked.
      const clock: Record<string, string[]> = {
        loaded_files: ["loaded_at"],
        source_freshness: ["checked_at", "age_hours"],
      };
      const skip = clock[String(table.table_name)] ?? [];
      const list = columns
        .filter((column) => !String(column.name).startsWith("_") && !skip.includes(String(column.name)))
        .map((column) =>
          /DOUBLE|FLOAT/.test(String(column.type)) ? `round("${column.name}", 9)` : `"${column.name}"`,
        )
        .join(", ");
      const name = `"${table.schema_name}"."${table.table_name}"`;
      const { rows } = await db.query(`select
          (select count(*) from (select ${list} from warehouse.${name} except all select ${list} from rebuilt.${name})) as only_refreshed,
          (select count(*) from (select ${list} from rebuilt.${name} except all select ${list} from warehouse.${name})) as only_full`);
      const row = rows[0] ?? {};
      if (Number(row.only_refreshed) + Number(row.only_full) > 0) {
        const { rows: sample } = await db.query(
          `select ${list} from warehouse.${name} except all select ${list} from rebuilt.${name} limit 2`,
        );
        out.push(
          `${name}: ${row.only_refreshed} rows only in the refreshed warehouse, ${row.only_full} only in the full build; e.g. ${JSON.stringify(sample)}`,
        );
      }
    }
    return out;
  } finally {
    await db.close();
  }
}

/**
 * How the aggregates kept by deltas over int_purchases and int_buyers (int_repurchase_cells,
 * int_churn_cells, int_clv_channel_cells) were made in the last run: `delta` (moved by the
 * rebuilt buyers' shares, macros/before_images.sql) or `full` (every buyer summed).
 */
async function cellsBuiltBy(dir: string): Promise<string> {
  const db = await openDuckDB(join(dir, "target/warehouse.duckdb"), { readOnly: true });
  try {
    const { rows } = await db.query(`select distinct _built_by from (
        select _built_by from int_repurchase_cells
        union all select _built_by from int_churn_cells
        union all select _built_by from int_clv_channel_cells)
        order by all`);
    return rows.map((row) => String(row._built_by)).join(",");
  } finally {
    await db.close();
  }
}

const message = (outcome: RunOutcome, name: string) =>
  outcome.results.find((result) => result.name === name)?.message ?? "";

/** The buyer-grain incremental tables (macros/buyers_to_refresh.sql): rebuilt per customer too. */
const BUYER_TABLES = ["int_buyers", "int_clv_calibration_buyers", "int_rfm_prior_buyers"];
const expectAppended = (outcome: RunOutcome, names: string[]) => {
  for (const name of names)
    expect(`${name}: ${message(outcome, name)}`).toMatch(new RegExp(`^${name}: rows appended`));
};

describe("incremental refresh", () => {
  it("refreshed delivery by delivery, the warehouse equals a full build of the same files", async () => {
    const refreshedProject = await project();
    const data = await temporary("huitou-deliveries-");
    await deliver(data, 0);
    await build(refreshedProject, data);
    for (const k of [1, 2]) {
      await deliver(data, k);
      const refreshed = await build(refreshedProject, data);
      // Only the new delivery's files are read; the purchase tables are rebuilt for the
      // customers the delivery touched, not from scratch.
      expect(message(refreshed, "orders")).toContain(`orders/${k + 1}.csv`);
      expect(message(refreshed, "orders")).not.toContain("orders/1.csv");
      expect(message(refreshed, "int_purchases")).toMatch(/^rows appended/);
      expect(message(refreshed, "int_purchase_items")).toMatch(/^rows appended/);
      expectAppended(refreshed, BUYER_TABLES);
      expect(await cellsBuiltBy(refreshedProject)).toBe("delta");
      const fullProject = await project();
      await build(fullProject, data);
      expect(await differences(refreshedProject, fullProject)).toEqual([]);
    }
    // No new file, only as_of moves: past the 2025-02-22 refund of an order placed 02-20 and
    // the 03-18 refund of one placed 03-10 (both exported with their refunds already), then
    // back before February (purchases leave the analysis). Only those customers are rebuilt.
    for (const asOf of ["2025-02-21", "2025-03-19", "2025-01-31"]) {
      const refreshed = await build(refreshedProject, data, asOf);
      expect(message(refreshed, "int_purchases")).toMatch(/^rows appended/);
      expectAppended(refreshed, BUYER_TABLES);
      expect(await cellsBuiltBy(refreshedProject)).toBe("delta");
      const fullProject = await project();
      await build(fullProject, data, asOf);
      expect(await differences(refreshedProject, fullProject)).toEqual([]);
    }
    // A variable the stored rows depend on changes (the CLV holdout: its window and each
    // buyer's calibration facts): the rows built under the old value are rebuilt, everybody's.
    {
      const vars = { clv_holdout_days: "60" };
      const refreshed = await build(refreshedProject, data, "2025-01-31", vars);
      expectAppended(refreshed, BUYER_TABLES);
      const fullProject = await project();
      await build(fullProject, data, "2025-01-31", vars);
      expect(await differences(refreshedProject, fullProject)).toEqual([]);
    }
    // churn_days moves every lapse: the churn events are summed anew, the repurchase cells
    // (which do not depend on it) still move by deltas.
    {
      const vars = { clv_holdout_days: "60", churn_days: "120" };
      await build(refreshedProject, data, "2025-01-31", vars);
      expect(await cellsBuiltBy(refreshedProject)).toBe("delta,full");
      const fullProject = await project();
      await build(fullProject, data, "2025-01-31", vars);
      expect(await differences(refreshedProject, fullProject)).toEqual([]);
    }
    // The shop re-sends its first delivery without order o001 (deleted in the source system):
    // the orders table is reloaded in full, the deletion is recorded, and the incremental
    // tables rebuild every customer, o001's buyer included.
    const first = join(data, "orders/1.csv");
    const db = await openDuckDB(":memory:");
    await db.execute(`create table kept as select * from read_csv('${first}', all_varchar = true, header = true)
        where order_id <> 'o001'`);
    await db.execute(`copy kept to '${first}' (format csv, header true)`);
    await db.close();
    const afterDeletion = await build(refreshedProject, data);
    expect(message(afterDeletion, "orders")).toContain("reloaded in full");
    expect(message(afterDeletion, "int_purchases")).toMatch(/^rows appended/);
    // a deletion may leave the purchase tables' states as they were: the cells are summed anew
    expect(await cellsBuiltBy(refreshedProject)).toBe("full");
    const fullProject = await project();
    await build(fullProject, data);
    expect(await differences(refreshedProject, fullProject)).toEqual([]);
    // Split purchases whose children name different buyers (the buyer is the earliest
    // child's): a change to one child must rebuild every buyer the purchase could belong to,
    // and nobody else. Dated before as_of (2025-03-15), so as_of does not move.
    // The first of these runs rebuilds everybody (its watermark predates the deletion above).
    const steps: { files: Record<string, string>; rebuilt?: string[] }[] = [
      {
        // PX: oX1 (c01, earliest) + oX2 (c02); PY: oY1 (c03, earliest) + oY2 (c04)
        files: {
          "orders/4.csv": orderRows([
            "oX1,PX,c01,2025-03-10 10:00:00,paid,wechat_mall,50,0,50,0,,,",
            "oX2,PX,c02,2025-03-10 10:05:00,paid,wechat_mall,30,0,30,0,,,",
            "oY1,PY,c03,2025-03-11 11:00:00,paid,tmall,60,0,60,0,,,",
            "oY2,PY,c04,2025-03-11 11:02:00,paid,tmall,40,0,40,0,,,",
          ]),
          "order_items/4.csv": itemRows(["oX1,p01,1,50,", "oX2,p02,1,30,", "oY1,p01,1,60,", "oY2,p03,1,40,"]),
          "reviews/4.csv": reviewRows(["oX2,4,2025-03-12 12:00:00"]),
        },
      },
      {
        // oX1 re-exported cancelled: PX is now c02's, though only c01's order was loaded
        files: {
          "orders/5.csv": orderRows(["oX1,PX,c01,2025-03-10 10:00:00,cancelled,wechat_mall,50,0,0,0,,,"]),
        },
        rebuilt: ["c01", "c02"],
      },
      {
        // an item line and a review loaded for the old order oY2 (c04's) of c03's purchase PY
        files: {
          "order_items/6.csv": itemRows(["oY2,p04,2,15,"]),
          "reviews/6.csv": reviewRows(["oY2,2,2025-03-13 09:00:00"]),
        },
        rebuilt: ["c03", "c04"],
      },
      {
        // oY1 re-exported under another customer: PY moves from c03 to c05
        files: { "orders/7.csv": orderRows(["oY1,PY,c05,2025-03-11 11:00:00,paid,tmall,60,0,60,0,,,"]) },
        rebuilt: ["c03", "c04", "c05"],
      },
    ];
    for (const [index, step] of steps.entries()) {
      for (const [file, text] of Object.entries(step.files)) await writeFile(join(data, file), text);
      const refreshed = await build(refreshedProject, data);
      expect(await cellsBuiltBy(refreshedProject)).toBe(index === 0 ? "full" : "delta");
      const full = await project();
      await build(full, data);
      expect(await differences(refreshedProject, full)).toEqual([]);
      // Exactly the named buyers were rebuilt: each model appended their rows of the full build.
      const models = step.rebuilt ? ["int_purchases", "int_purchase_items", "int_purchase_reviews"] : [];
      for (const model of models) {
        const rows = await countFor(full, model, step.rebuilt ?? []);
        expect(message(refreshed, model), `${model} after ${Object.keys(step.files).join(", ")}`).toBe(
          `rows appended: ${rows} rows`,
        );
      }
    }
    // as_of moves back (03-15 to 03-07: c07's purchase of 03-08 leaves), then forward, not as
    // far (03-09: it is back). The second move must be measured from 03-07, the as_of the
    // tables were last built for, not from 03-15, which the rows kept since still recorded.
    for (const asOf of ["2025-03-07", "2025-03-09"]) {
      await build(refreshedProject, data, asOf);
      const full = await project();
      await build(full, data, asOf);
      expect(await differences(refreshedProject, full), `as_of ${asOf}`).toEqual([]);
    }
    // int_purchases computes the rebuild rule once a run and the tables after it reuse it
    // (macros/customers_to_refresh.sql, share=). A run that builds int_purchases alone absorbs
    // a delivery the others have not; the next run's rule of int_purchases then finds nothing
    // new, and the tables after it must see that it does not hold for them (their loads are
    // older) and apply their own: c06's new purchase, its item line and review reach them.
    await writeFile(
      join(data, "orders/8.csv"),
      orderRows(["oZ1,,c06,2025-03-08 15:00:00,paid,tmall,70,0,70,0,,,"]),
    );
    await writeFile(join(data, "order_items/8.csv"), itemRows(["oZ1,p02,2,35,"]));
    await writeFile(join(data, "reviews/8.csv"), reviewRows(["oZ1,5,2025-03-09 08:00:00"]));
    const alone = await build(refreshedProject, data, "2025-03-09", {}, "int_purchases");
    expect(message(alone, "int_purchases")).toMatch(/^rows appended/);
    expect(message(alone, "int_purchase_items")).toBe("");
    const after = await build(refreshedProject, data, "2025-03-09");
    // the cells were built against int_purchases as it stood before the run alone: summed anew
    expect(await cellsBuiltBy(refreshedProject)).toBe("full");
    // The aggregates kept by deltas alone: no before-image was kept in this run, so each pre_hook
    // creates the empty scratch tables it reads, the two at once (pre_hooks run one at a time:
    // DuckDB fails one of two transactions creating the same table). Summed anew, the same rows.
    const cellsAlone = await build(
      refreshedProject,
      data,
      "2025-03-09",
      {},
      "int_repurchase_cells int_churn_cells",
    );
    expect(message(cellsAlone, "int_repurchase_cells")).toMatch(/^rows appended/);
    expect(message(cellsAlone, "int_churn_cells")).toMatch(/^rows appended/);
    expect(await cellsBuiltBy(refreshedProject)).toBe("full");
    // c06's rows of the full build, every one rebuilt by the tables' own rule
    const full = await project();
    await build(full, data, "2025-03-09");
    expect(await differences(refreshedProject, full)).toEqual([]);
    for (const model of ["int_purchase_items", "int_purchase_reviews"]) {
      expect(await countFor(full, model, ["c06"])).toBeGreaterThan(0);
      expect(message(after, model)).toMatch(/^rows appended/);
    }
    // The snapshot tables (int_rfm_prior_buyers at as_of - 90, int_clv_calibration_buyers at
    // as_of - clv_holdout_days, 90 here) when only the snapshot day crosses a refund: c25's
    // o050 (400 paid 2024-11-11, 100 of it refunded 2024-11-20) is worth 400 at 2024-11-19
    // (as_of 2025-02-17: the refund has not happened) and 300 at 2024-11-20 (as_of
    // 2025-02-18); no order or refund is dated 2025-02-16..19, so int_purchases' rule of these
    // runs names nobody, c25's order is not loaded again, and only the band around as_of - d
    // (macros/buyers_to_refresh.sql, refresh_snapshot_buyers_hook) finds c25: forwards, then back.
    for (const asOf of ["2025-02-17", "2025-02-18", "2025-02-17"]) {
      const vars = { clv_holdout_days: "90" };
      await build(refreshedProject, data, asOf, vars);
      const full = await project();
      await build(full, data, asOf, vars);
      expect(await differences(refreshedProject, full), `as_of ${asOf}`).toEqual([]);
      const db = await openDuckDB(join(refreshedProject, "target/warehouse.duckdb"), { readOnly: true });
      const { rows } = await db.query("select monetary from int_rfm_prior_buyers where customer_id = 'c25'");
      await db.close();
      // 400 - 100 once the refund date 2024-11-20 is not after the snapshot day
      expect(Number(rows[0]?.monetary)).toBe(asOf === "2025-02-18" ? 300 : 400);
    }
  }, 900_000);
});

const orderRows = (rows: string[]) =>
  `order_id,parent_order_id,customer_id,ordered_at,status,channel,gross_amount,discount_amount,paid_amount,refunded_amount,refunded_at,coupon_code,campaign_id\n${rows.join("\n")}\n`;
const itemRows = (rows: string[]) =>
  `order_id,product_id,quantity,unit_price,unit_cost\n${rows.join("\n")}\n`;
const reviewRows = (rows: string[]) => `order_id,rating,created_at\n${rows.join("\n")}\n`;

/** Rows of `model` in the warehouse of `projectDir` that belong to `customers`. */
async function countFor(projectDir: string, model: string, customers: string[]): Promise<number> {
  const db = await openDuckDB(join(projectDir, "target/warehouse.duckdb"), { readOnly: true });
  try {
    const list = customers.map((customer) => `'${customer}'`).join(", ");
    const { rows } = await db.query(`select count(*) as n from ${model} where customer_id in (${list})`);
    return Number(rows[0]?.n);
  } finally {
    await db.close();
  }
}
