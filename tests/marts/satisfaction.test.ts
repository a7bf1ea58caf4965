/**
 * satisfaction and satisfaction_by_category on shop-small at as_of 2025-03-15. The reviews
 * (data/reviews.csv) were written for these cases: a review of a split child (o006 of P01),
 * two reviews of one purchase (P01: o006 5 before o005 3; o009: 1 before 3), reviews of a
 * cancelled (o013) and a fully refunded (o021) order, and one written after as_of (o038).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildShopSmall, byKey, SHOP_SMALL_AS_OF, type Warehouse } from "./shopSmall.ts";

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await buildShopSmall(SHOP_SMALL_AS_OF, {}, { dataTests: DATA_TESTS });
});
afterAll(async () => {
  await warehouse?.close();
});

const DATA_TESTS = "path:models/marts/satisfaction";

it("passes the data tests of its models and seeds (YAML and singular)", () => {
  expect(warehouse.dataTestFailures).toEqual([]);
});

describe("satisfaction", () => {
  it("splits the matured buyers by the rating of their first purchase", async () => {
    // Matured: first purchase on or before 2025-03-15 - 180 = 2024-09-16: 20 buyers (c01-c19
    // except none missing, plus x99). Back on a later day within 180 days of the first:
    //   c01 (03-10) c03 (02-25; o004 is the same day) c04 (05-03) c05 (02-20) c07 (06-18)
    //   c08 (06-18) c12 (05-20) c14 (06-18) c15 (06-25) c17 (08-05) x99 (11-11, 159 d);
    //   not: c02 c06 c09 (197 d) c10 (219 d) c11 c13 c16 c18 (192 d) c19.
    // First-purchase ratings: 5 o001 c01, P01 c04 (o006's 5, earliest); 4 o003 c03, o008 c07;
    //   3 o014 c09, o022 c13; 2 o007 c05, o018 c11; 1 o009 c08 (earliest of 1 and 3), o010 c06;
    //   none: c02 c10 c12 c14 x99 c15 c16 c17 c19, and c18 (o038's review is after as_of).
    const rows = byKey(await warehouse.rows("select * from satisfaction"), "first_rating");
    const want: Record<string, [number, number]> = {
      "5": [2, 2], // c01 yes, c04 yes
      "4": [2, 2], // c03 yes, c07 yes
      "3": [2, 0], // c09 no, c13 no
      "2": [2, 1], // c05 yes, c11 no
      "1": [2, 1], // c08 yes, c06 no
      none: [10, 5], // c12 c14 x99 c15 c17 yes; c02 c10 c16 c18 c19 no
    };
    expect(Object.keys(rows).sort()).toEqual(Object.keys(want).sort());
    for (const [rating, [buyers, back]] of Object.entries(want)) {
      expect([rating, rows[rating]!.buyers_matured, rows[rating]!.repurchase_rate_180d]).toEqual([
        rating,
        buyers,
        back / buyers,
      ]);
    }
  });
});

describe("satisfaction_by_category", () => {
  it("rates the purchases holding each category by their earliest review", async () => {
    // Purchases holding the category (a split purchase's items are all its children's):
    //   美妆 33 (every p01/p02 purchase: o001 o003 P01 o007 o010 o015 o016 o017 o019 o028 o029
    //   o031 P02 o036 o037 o038 o040 o043 o045 o046 o047 o049 o050 o053 o055 o057 o059 o060 o061
    //   o064 o066 o068 o069); 女装 19 (o002 P01 o008 o012 o014 o024 o025 o027 o030 P02 o035 o039
    //   o042 o044 o048 o050 o056 o063 o067); 母婴 4 (o009 o023 o041 o054); 食品 3 (o004 o022
    //   o034); 3C 2 (o058 o065).
    // Reviewed by as_of: 美妆 o001 5, o003 4, P01 5, o007 2, o010 1, o064 2 -> 6, mean 19/6,
    //   low 3/6; 女装 P01 5, o008 4, o014 3 -> 3, mean 4, low 0; 母婴 o009 1 -> 1, mean 1, low 1;
    //   食品 o004 1, o022 3 -> 2, mean 2, low 1/2; 3C o058 5, o065 4 -> 2, mean 4.5, low 0.
    const rows = byKey(await warehouse.rows("select * from satisfaction_by_category"), "category");
    const want: Record<string, [number, number, number, number]> = {
      美妆: [33, 6, 19 / 6, 3 / 6],
      女装: [19, 3, 4, 0],
      母婴: [4, 1, 1, 1],
      食品: [3, 2, 2, 1 / 2],
      "3C": [2, 2, 4.5, 0],
    };
    expect(Object.keys(rows).sort()).toEqual(Object.keys(want).sort());
    for (const [category, [purchases, reviewed, rating, low]] of Object.entries(want)) {
      const row = rows[category]!;
      expect([category, row.purchases, row.reviewed_purchases]).toEqual([category, purchases, reviewed]);
      expect(row.review_rate).toBeCloseTo(reviewed / purchases, 12);
      expect(row.avg_rating).toBeCloseTo(rating, 12);
      expect(row.low_rating_share).toBeCloseTo(low, 12);
    }
  });
});
