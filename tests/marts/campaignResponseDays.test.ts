/**
 * int_campaign_response_days (the campaign pages' cumulative response curve) on shop-small at
 * as_of 2025-03-15. The campaigns are those of campaigns.test.ts (data/campaign_contacts.csv,
 * data/orders.csv); every campaign's longest window is 30 days (own windows 10, 14, default 14),
 * so days 0..29. Day k of a contact is [contacted_at + k days, contacted_at + k + 1 days); the
 * first purchase at t falls on day floor((t - contacted_at) / 24 h).
 * The curve on day window_days - 1 must be campaign_response's row of that window: checked on
 * every row of campaign_response below, an independent model of the same contract.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Row } from "../../src/engine/adapters/adapter.ts";
import { buildShopSmall, SHOP_SMALL_AS_OF, type Warehouse } from "./shopSmall.ts";

let warehouse: Warehouse;
let curve: Row[];
beforeAll(async () => {
  warehouse = await buildShopSmall(
    SHOP_SMALL_AS_OF,
    {},
    {
      select: "+int_campaign_response_days +campaign_response",
      dataTests: "path:models/intermediate/campaign_curves",
    },
  );
  curve = await warehouse.rows(
    `select * from int_campaign_response_days order by campaign_id, "group", days_since_contact`,
  );
});
afterAll(async () => {
  await warehouse?.close();
});

/** The rows of one campaign and group, as [contacts, is_complete, responders] per day. */
function series(campaign: string, group: string) {
  return curve
    .filter((row) => row.campaign_id === campaign && row.group === group)
    .map((row) => [row.days_since_contact, row.contacts, row.is_complete, row.responders]);
}

/** Days 0..29: `responders(day)` on complete days (`day <= lastComplete`), null after. */
function expected(contacts: number, lastComplete: number, responders: (day: number) => number) {
  return Array.from({ length: 30 }, (_, day) => [
    day,
    contacts,
    day <= lastComplete,
    day <= lastComplete ? responders(day) : null,
  ]);
}

it("passes its data tests", () => {
  expect(warehouse.dataTestFailures).toEqual([]);
});

describe("int_campaign_response_days", () => {
  it("has one row per campaign, group with a contact, and day of the longest window", () => {
    // cmp_0618 has no holdout: 30 rows; cmp_1111, cmp_2503 and cmp_ghost two groups: 3 x 60.
    expect(curve.length).toBe(30 + 3 * 60);
  });

  it("counts cmp_0618's first purchases by whole days since the 2024-06-10 09:00 contact", () => {
    // c15 o027 06-10 12:00 (3 h): day 0. c01 o028 06-18 09:00 is exactly 8 days: day 8, not 7;
    // c07 o029 10:00, c08 o030 11:00, c14 o031 12:00 on 06-18: day 8. c02, c03: nothing.
    // All complete: 06-10 09:00 + 30 days is long before 2025-03-16.
    expect(series("cmp_0618", "treatment")).toEqual(expected(7, 29, (day) => (day < 8 ? 1 : 5)));
  });

  it("leaves the customer in both groups out and dates each contact from its earliest", () => {
    // cmp_1111 from 11-01 10:00 (c01's 11-05 contact is not its earliest; c13 in both groups
    // is out): treatment c01 o046 11-11 00:10 (9 d 14 h) and c07 o047 11-11 09:00 (9 d 23 h):
    // day 9; c14 o048 11-11 10:00 (exactly 10 d): day 10. 6 contacts.
    expect(series("cmp_1111", "treatment")).toEqual(
      expected(6, 29, (day) => (day < 9 ? 0 : day < 10 ? 2 : 3)),
    );
    // Holdout c02 c08 c09 c10 x99: x99 o051 11-11 20:00 (10 d 10 h): day 10; c08's o054 on
    // 12-12 is 41 days on. 5 contacts.
    expect(series("cmp_1111", "holdout")).toEqual(expected(5, 29, (day) => (day < 10 ? 0 : 1)));
  });

  it("keeps contacts and nulls the measures on days not yet over by the end of as_of", () => {
    // cmp_2503: latest contact 03-08 09:00; day k is complete when 03-08 09:00 + (k + 1) days
    // <= 03-16 00:00, i.e. k + 1 <= 7 (7.625 days to go): days 0..6. c18's 03-20 contact is
    // after as_of. Treatment c28 (03-08 09:00) o066 03-10 10:00: day 2; c07 (03-05 10:00) o065
    // 03-08 10:00: day 3; c01's o069 03-15 20:00 is day 10 (open).
    expect(series("cmp_2503", "treatment")).toEqual(expected(3, 6, (day) => (day < 2 ? 0 : day < 3 ? 1 : 2)));
    // Holdout c04, c26: c26's o068 03-15 10:00 is exactly day 10 (open): 0 on days 0..6.
    expect(series("cmp_2503", "holdout")).toEqual(expected(2, 6, () => 0));
    // cmp_ghost (not in campaigns.csv): latest contact 02-20 10:00 + 23 days = 03-15 10:00 is
    // the last within 03-16 00:00: days 0..22. c02 (01-10 10:00) o057 01-15 10:00: day 5;
    // c18 (02-20 10:00) o063 02-28 10:00: day 8. Holdout c29's o059 02-05 is day 26 (open).
    expect(series("cmp_ghost", "treatment")).toEqual(
      expected(2, 22, (day) => (day < 5 ? 0 : day < 8 ? 1 : 2)),
    );
    expect(series("cmp_ghost", "holdout")).toEqual(expected(1, 22, () => 0));
  });

  it("gives response_rate = responders / contacts, null where responders are", () => {
    // e.g. cmp_0618 day 8: 5 / 7; cmp_2503 treatment day 3: 2 / 3.
    for (const row of curve) {
      if (row.responders === null) expect(row.response_rate).toBeNull();
      else expect(row.response_rate).toBeCloseTo(Number(row.responders) / Number(row.contacts), 12);
    }
    const day = (campaign: string, group: string, n: number) =>
      curve.find(
        (row) => row.campaign_id === campaign && row.group === group && row.days_since_contact === n,
      );
    expect(day("cmp_0618", "treatment", 8)?.response_rate).toBeCloseTo(5 / 7, 12);
    expect(day("cmp_2503", "treatment", 3)?.response_rate).toBeCloseTo(2 / 3, 12);
  });

  it("equals campaign_response on day window_days - 1 of every window", async () => {
    const response = await warehouse.rows(
      `select campaign_id, "group", window_days, contacts, is_complete, responders, response_rate
       from campaign_response order by campaign_id, "group", window_days`,
    );
    // 4 campaigns: cmp_0618 one group x {7, 10, 14, 30}; the others two groups x {7, 14, 30}.
    expect(response.length).toBe(4 + 3 * 6);
    for (const row of response) {
      const match = curve.find(
        (day) =>
          day.campaign_id === row.campaign_id &&
          day.group === row.group &&
          day.days_since_contact === Number(row.window_days) - 1,
      );
      expect({
        ...row,
        curve: match && [match.contacts, match.is_complete, match.responders, match.response_rate],
      }).toEqual({
        ...row,
        curve: [row.contacts, row.is_complete, row.responders, row.response_rate],
      });
    }
  });
});
