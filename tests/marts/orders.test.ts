/**
 * customer_orders and the as-of rules beneath it (int_as_of, int_orders_as_of) on shop-small.
 * Every expectation is worked out by hand from tests/fixtures/shop-small/README.md and
 * data/*.csv; the working is in the comments.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildShopSmall, byKey, type Warehouse } from "./shopSmall.ts";

/** The past as_of build needs only these marts and their ancestors (not the CLV fit's). */
const SELECT = "+path:models/marts/orders +path:models/marts/customers";
/**
 * The data tests of customer_orders and of the staging and core models; the singular tests that
 * read core models come along (a test runs when any model it reads is selected), so the main
 * build is the whole project.
 */
const DATA_TESTS = "path:models/marts/orders path:models/intermediate/core path:models/staging";

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await buildShopSmall(
    undefined,
    {},
    { select: "+path:models/marts path:models/staging", dataTests: DATA_TESTS },
  );
});
afterAll(async () => {
  await warehouse?.close();
});

it("passes the data tests of its models", () => {
  expect(warehouse.dataTestFailures).toEqual([]);
});

describe("int_as_of", () => {
  it("takes the latest purchase as the default as_of, not the later cancelled order", async () => {
    // Latest paid order: o069 2025-03-15 20:00. o070 (2025-03-16) is cancelled and o064
    // (2025-03-05, refunded 03-20) is older, so the latest purchase date is 2025-03-15.
    // `--var as_of=null` is a build without --as-of.
    const unset = await buildShopSmall(undefined, { as_of: "null" }, { select: "+int_as_of" });
    try {
      const [row] = await unset.rows("select * from int_as_of");
      expect(row).toMatchObject({
        as_of: "2025-03-15",
        as_of_month: "2025-03-01",
        is_as_of_month_complete: false, // 15 is not the last day of March
        last_complete_month: "2025-02-01",
        latest_purchase_date: "2025-03-15",
        churn_days: 180,
      });
    } finally {
      await unset.close();
    }
  });

  it("takes an explicit as_of as given", async () => {
    const [row] = await warehouse.rows("select as_of, latest_purchase_date from int_as_of");
    expect(row).toEqual({ as_of: "2025-03-15", latest_purchase_date: "2025-03-15" });
  });
});

describe("customer_orders", () => {
  it("has one row per purchase: 70 orders - 4 cancelled - 2 fully refunded - 2 merged children = 62", async () => {
    // Cancelled: o013 o020 o052 o070 (o070 also after as_of); refunded: o021 o062 (o064's
    // refund is after as_of, so it stays a purchase); splits: o005+o006 -> P01, o032+o033 -> P02.
    const [totals] = await warehouse.rows(
      "select count(*) as n, sum(net_revenue) as revenue, sum(gross_margin) as margin, sum(discount_amount) as discount from customer_orders",
    );
    // Revenue and margin: the month totals of the README's purchase table.
    // Discounts: P01 30 (o005) + o046 20 + o047 20 + o065 40 = 110.
    expect(totals).toEqual({ n: 62, revenue: 9090, margin: 4677, discount: 110 });
    const ids = (await warehouse.rows("select order_id from customer_orders")).map((row) => row.order_id);
    for (const absent of ["o005", "o006", "o013", "o020", "o021", "o032", "o033", "o052", "o062", "o070"]) {
      expect(ids).not.toContain(absent);
    }
  });

  it("merges split orders into their parent: time, channel and coupon of the earliest child, amounts summed", async () => {
    const orders = byKey(await warehouse.rows("select * from customer_orders"), "order_id");
    // P01 = o005 (20:00, 270 paid, discount 30, NEW30, p04 cost 120) + o006 (20:05, 100, p01 cost 40):
    // net 370, margin 370 - 160 = 210. c04 is a member since 2024-01-25.
    expect(orders.P01).toMatchObject({
      customer_id: "c04",
      ordered_at: "2024-01-28 20:00:00",
      order_date: "2024-01-28",
      order_month: "2024-01-01",
      net_revenue: 370,
      gross_margin: 210,
      discount_amount: 30,
      coupon_code: "NEW30",
      channel: "douyin",
      orders_merged: 2,
      order_seq: 1,
      is_first: true,
      days_since_prev: null,
      is_member_at_order: true,
      margin_estimated: false,
    });
    // P02 = o032 (200, p02 cost 90) + o033 (160, p03 2 x 30, 80 refunded): net 360 - 80 = 280,
    // margin 280 - 150 = 130.
    expect(orders.P02).toMatchObject({
      customer_id: "c16",
      ordered_at: "2024-06-18 20:00:00",
      paid_amount: 360,
      refunded_amount: 80,
      net_revenue: 280,
      gross_margin: 130,
      orders_merged: 2,
    });
  });

  it("applies refunds, cost fallbacks and estimates as the contract defines them", async () => {
    const orders = byKey(await warehouse.rows("select * from customer_orders"), "order_id");
    // o007: 300 paid, 100 refunded on 2024-02-10: net 200; costs p02 90 + p01 40: margin 70.
    expect(orders.o007).toMatchObject({ net_revenue: 200, gross_margin: 70, margin_estimated: false });
    // o010: the item's own cost 35 wins over the product's 40: 100 - 35 = 65.
    expect(orders.o010).toMatchObject({ gross_margin: 65, margin_estimated: false });
    // o004: p06 has no cost anywhere: 50 x (1 - 0.4) = 30 estimated, margin 20.
    expect(orders.o004).toMatchObject({ gross_margin: 20, margin_estimated: true });
    // o022: 3 x p06 at 50: estimated 150 x 0.6 = 90, margin 60.
    expect(orders.o022).toMatchObject({ net_revenue: 150, gross_margin: 60, margin_estimated: true });
    // o011 and o018 have no items: margin = net x 0.4 = 40 and 24.
    expect(orders.o011).toMatchObject({ gross_margin: 40, margin_estimated: true });
    expect(orders.o018).toMatchObject({ gross_margin: 24, margin_estimated: true });
    // o064: status refunded, but refunded_at 2025-03-20 is after as_of: paid, nothing refunded.
    expect(orders.o064).toMatchObject({ net_revenue: 100, refunded_amount: 0, gross_margin: 60 });
    // o066: partially refunded on 2025-03-18, after as_of: the full 200 counts.
    expect(orders.o066).toMatchObject({ net_revenue: 200, refunded_amount: 0, gross_margin: 110 });
  });

  it("sequences each buyer's purchases by time, same-day ones included", async () => {
    const orders = byKey(await warehouse.rows("select * from customer_orders"), "order_id");
    // c03: o003 10:00 and o004 15:30 on 2024-01-20, then o012 on 02-25 (36 days after 01-20).
    expect([orders.o003?.order_seq, orders.o004?.order_seq, orders.o012?.order_seq]).toEqual([1, 2, 3]);
    expect([orders.o004?.days_since_prev, orders.o012?.days_since_prev]).toEqual([0, 36]);
    // c01's 8 purchases; o017 2024-03-10 is 65 days after 2024-01-05 (26 + 29 + 10).
    const c01 = await warehouse.rows(
      "select order_id, order_seq, days_since_prev from customer_orders where customer_id = 'c01' order by ordered_at",
    );
    expect(c01.map((row) => row.order_id)).toEqual([
      "o001",
      "o017",
      "o028",
      "o043",
      "o046",
      "o053",
      "o061",
      "o069",
    ]);
    expect(c01.map((row) => row.order_seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(c01[1]?.days_since_prev).toBe(65);
  });

  it("knows who was a member at each purchase", async () => {
    const orders = byKey(await warehouse.rows("select * from customer_orders"), "order_id");
    // c08 joined 2024-06-01: o009 (02-10) before, o030 (06-18) after.
    expect([orders.o009?.is_member_at_order, orders.o030?.is_member_at_order]).toEqual([false, true]);
    // c26 joined 2025-03-15 18:00: o068 at 10:00 that day was not a member's purchase.
    expect(orders.o068?.is_member_at_order).toBe(false);
    // c12 joined 2024-03-15 09:00 and bought on 03-16.
    expect(orders.o019?.is_member_at_order).toBe(true);
    // x99 is missing from customers: never a member, but its purchases are there.
    expect([orders.o026?.is_member_at_order, orders.o051?.customer_id]).toEqual([false, "x99"]);
  });
});

describe("a past as_of", () => {
  it("sees orders as they stood then: o021, refunded only on 2024-04-05, is a purchase on 2024-04-03", async () => {
    const past = await buildShopSmall("2024-04-03", {}, { select: SELECT });
    try {
      const [asOf] = await past.rows("select as_of from int_as_of");
      expect(asOf?.as_of).toBe("2024-04-03");
      // Purchases up to 2024-04-03: January 5, February 6, March 6, and o021 (04-01) = 18.
      const [count] = await past.rows("select count(*) as n from customer_orders");
      expect(count?.n).toBe(18);
      const [o021] = await past.rows("select * from customer_orders where order_id = 'o021'");
      // 100 paid, the refund has not happened yet; p01 cost 40.
      expect(o021).toMatchObject({ customer_id: "c10", net_revenue: 100, gross_margin: 60, order_seq: 2 });
      // customers created by 2024-04-03: c01..c13 (c13 on 04-02); c14 (05-10) not yet.
      const [customers] = await past.rows("select count(*) as n from customers_summary");
      expect(customers?.n).toBe(13);
    } finally {
      await past.close();
    }
  });
});
