/**
 * data_quality on shop-small: the ingest layer's load report as the mart publishes it. Counts
 * come from the fixture files (line counts) and its README (x99 is missing from customers).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildShopSmall, byKey, type Warehouse } from "./shopSmall.ts";

/** What this file builds: its marts and their ancestors, not the rest of the project. */
const SELECT = "+path:models/marts/quality";
/** The data tests of this subject's models (schema YAML and singular SQL), run on the build. */
const DATA_TESTS = "path:models/marts/quality path:tests/marts/data_quality_one_row_per_check.sql";

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await buildShopSmall(undefined, {}, { select: SELECT, dataTests: DATA_TESTS });
});
afterAll(async () => {
  await warehouse?.close();
});

it("passes the data tests of its models", () => {
  expect(warehouse.dataTestFailures).toEqual([]);
});

describe("data_quality", () => {
  it("has a load row per source with rows_in = rows_loaded + rows_rejected", async () => {
    const loads = byKey(await warehouse.rows(`select * from data_quality where "check" = 'load'`), "source");
    // Data lines of the clean fixture files: customers 30, orders 70, order_items 64, products 8,
    // marketing_spend 12; nothing is rejected.
    const expected: Record<string, number> = {
      customers: 30,
      orders: 70,
      order_items: 64,
      products: 8,
      marketing_spend: 12,
    };
    for (const [source, rows] of Object.entries(expected)) {
      expect(loads[source]).toMatchObject({
        rows_in: rows,
        rows_loaded: rows,
        rows_rejected: 0,
        is_load_row: true,
      });
    }
    // Every contract table has its load row, the optional ones included.
    expect(Object.keys(loads).sort()).toEqual([
      "campaign_contacts",
      "campaigns",
      "customers",
      "marketing_spend",
      "order_items",
      "orders",
      "products",
      "reviews",
    ]);
    for (const row of Object.values(loads)) {
      expect(row.rows_in).toBe(Number(row.rows_loaded) + Number(row.rows_rejected));
    }
  });

  it("counts orders of unknown customers without rejecting them", async () => {
    const orders = byKey(await warehouse.rows(`select * from data_quality where source = 'orders'`), "check");
    // x99's o026 and o051.
    expect(orders.order_customer_unknown).toMatchObject({
      rows_in: 70,
      rows_loaded: 2,
      rows_rejected: 0,
      rows_flagged: 2,
    });
    // Every purchase has a positive amount; every status agrees with its refund.
    expect(orders.zero_value_purchase).toMatchObject({ rows_flagged: 0 });
    expect(orders.status_amount_mismatch).toMatchObject({ rows_flagged: 0 });
    // Rejecting checks are listed with zero counts.
    expect(orders.duplicate_key).toMatchObject({ rows_rejected: 0 });
    expect(orders.unknown_status).toMatchObject({ rows_rejected: 0 });
  });
});
