/**
 * event_buyers on shop-small: at as_of 2025-03-15 (every 2024 event closed, the 2025 ones not
 * started) and at as_of 2024-12-31 (双11 and 双12 still inside their 90 days).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildShopSmall, SHOP_SMALL_AS_OF, type Warehouse } from "./shopSmall.ts";

let warehouse: Warehouse;
let yearEnd: Warehouse;
beforeAll(async () => {
  warehouse = await buildShopSmall(SHOP_SMALL_AS_OF, {}, { dataTests: DATA_TESTS });
  yearEnd = await buildShopSmall("2024-12-31");
});
afterAll(async () => {
  await warehouse?.close();
  await yearEnd?.close();
});

const DATA_TESTS = "path:models/marts/events path:models/intermediate/events path:seeds/events.csv";

it("passes the data tests of its models and seeds (YAML and singular)", () => {
  expect(warehouse.dataTestFailures).toEqual([]);
});

const query = `select event, starts_on, ends_on, buyer_type, buyers, revenue, aov, repurchase_90d, is_complete
               from event_buyers order by starts_on, buyer_type`;

describe("event_buyers", () => {
  it("splits each event's buyers into new and returning, with their 90-day repurchase", async () => {
    // 618 2024 (06-01..06-18): new (first purchase inside) x99 o026 120, c15 o027 80, c16 P02
    //   280 = 480, aov 480/3 = 160; back by 09-16: c15 (o034 06-25) -> 1/3.
    //   returning c01 o028 200, c07 o029 100, c08 o030 300, c14 o031 100 = 700, aov 175;
    //   back: c08 (o036 07-22); c01's o043 is 09-20, past 09-16 -> 1/4.
    // 双11 2024 (11-01..11-11): new c24 o049 100, c25 o050 300 (400 - 100 refunded) = 400;
    //   back by 2025-02-09: c24 (o058 01-20) -> 1/2. returning c01 200, c07 100, c14 80, x99 100
    //   = 480, aov 120; back: c01 (o053 12-12) -> 1/4.
    // 双12 2024 (12-01..12-12): no new buyer; returning c01 o053 100, c08 o054 200 = 300, both
    //   back by 2025-03-12 (o061 02-14, o060 02-10) -> 1.
    // 2025 events start after as_of: no rows.
    expect(await warehouse.rows(query)).toEqual([
      row("618 2024", "2024-06-01", "2024-06-18", "new", 3, 480, 160, 1 / 3, true),
      row("618 2024", "2024-06-01", "2024-06-18", "returning", 4, 700, 175, 1 / 4, true),
      row("双11 2024", "2024-11-01", "2024-11-11", "new", 2, 400, 200, 1 / 2, true),
      row("双11 2024", "2024-11-01", "2024-11-11", "returning", 4, 480, 120, 1 / 4, true),
      row("双12 2024", "2024-12-01", "2024-12-12", "new", 0, 0, null, null, true),
      row("双12 2024", "2024-12-01", "2024-12-12", "returning", 2, 300, 150, 1, true),
    ]);
  });

  it("leaves repurchase_90d null until the 90 days after the event have passed", async () => {
    // as_of 2024-12-31: 618 closed on 09-16 (same figures); 双11 closes 2025-02-09 and 双12
    // 2025-03-12, both after as_of. o050's refund (2024-11-20) already happened.
    expect(await yearEnd.rows(query)).toEqual([
      row("618 2024", "2024-06-01", "2024-06-18", "new", 3, 480, 160, 1 / 3, true),
      row("618 2024", "2024-06-01", "2024-06-18", "returning", 4, 700, 175, 1 / 4, true),
      row("双11 2024", "2024-11-01", "2024-11-11", "new", 2, 400, 200, null, false),
      row("双11 2024", "2024-11-01", "2024-11-11", "returning", 4, 480, 120, null, false),
      row("双12 2024", "2024-12-01", "2024-12-12", "new", 0, 0, null, null, false),
      row("双12 2024", "2024-12-01", "2024-12-12", "returning", 2, 300, 150, null, false),
    ]);
  });
});

function row(
  event: string,
  starts_on: string,
  ends_on: string,
  buyer_type: string,
  buyers: number,
  revenue: number,
  aov: number | null,
  repurchase_90d: number | null,
  is_complete: boolean,
) {
  return { event, starts_on, ends_on, buyer_type, buyers, revenue, aov, repurchase_90d, is_complete };
}
