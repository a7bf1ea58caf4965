/**
 * campaign_response, campaign_response_categories and campaign_uplift on shop-small at as_of
 * 2025-03-15. The campaigns (data/campaigns.csv, data/campaign_contacts.csv) are built around
 * the fixture's orders:
 *   cmp_0618  sms, own window 10 d, no holdout, 7 contacts on 2024-06-10 09:00, 0.05 per contact
 *   cmp_1111  sms, own window 14 d, treatment c01 c04 c07 c12 c14 c17 (c01 twice: earliest
 *             kept), holdout c02 c08 c09 c10 x99, c13 in both groups (left out); 0.10 per
 *             contact, coupon_cost 5; o046 (c01) and o047 (c07) carry coupon D11 and cmp_1111
 *   cmp_2503  app_push, no window given (default 14), treatment c01 c07 (03-05 10:00) and c28
 *             (03-08 09:00), holdout c04 c26; c18's contact on 03-20 is after as_of; o065 (c07)
 *             carries coupon M25 and cmp_2503; 0.02 per contact
 *   cmp_ghost missing from campaigns.csv: treatment c02 (01-10), c18 (02-20), holdout c29 (01-10)
 * Net revenue and margin per purchase are the fixture README's.
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

const DATA_TESTS = "path:models/marts/campaigns path:models/intermediate/campaigns";

it("passes the data tests of its models and seeds (YAML and singular)", () => {
  expect(warehouse.dataTestFailures).toEqual([]);
});

const Z = 1.959964;
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const sampleVariance = (values: number[]) =>
  values.reduce((a, b) => a + (b - mean(values)) ** 2, 0) / (values.length - 1);

describe("campaign_response", () => {
  it("counts contacts, responders and revenue per campaign, group and window", async () => {
    const rows = byKey(
      await warehouse.rows("select * from campaign_response"),
      "campaign_id",
      "group",
      "window_days",
    );
    // [contacts, is_complete, responders, revenue, gross_margin]; windows {7, 14, 30, own}.
    // Completeness: latest contact + window <= 2025-03-16 00:00.
    const want: Record<string, [number, boolean, number | null, number | null, number | null]> = {
      // cmp_0618 from 2024-06-10 09:00: 7 d to 06-17 09:00: o027 c15 80/50 only;
      // 10 d to 06-20 09:00 and 14 d to 06-24: + o028 c01 200/110, o029 c07 100/60,
      // o030 c08 300/180, o031 c14 100/60 = 780/460, 5 of 7 (c02, c03 bought nothing);
      // 30 d to 07-10: + o034 c15 50/20 = 830/480 (c15 already responded: still 5).
      "cmp_0618|treatment|7": [7, true, 1, 80, 50],
      "cmp_0618|treatment|10": [7, true, 5, 780, 460],
      "cmp_0618|treatment|14": [7, true, 5, 780, 460],
      "cmp_0618|treatment|30": [7, true, 5, 830, 480],
      // cmp_1111 from 2024-11-01 10:00: nothing until 11-08 (7 d); 14 d to 11-15 10:00:
      // treatment o046 c01 200/110, o047 c07 100/60, o048 c14 80/50 = 380/220, 3 of 6;
      // holdout o051 x99 100/40 (no items), 1 of 5; 30 d adds nothing (o052 cancelled,
      // o053 on 12-12 is after 12-01 10:00).
      "cmp_1111|treatment|7": [6, true, 0, 0, 0],
      "cmp_1111|treatment|14": [6, true, 3, 380, 220],
      "cmp_1111|treatment|30": [6, true, 3, 380, 220],
      "cmp_1111|holdout|7": [5, true, 0, 0, 0],
      "cmp_1111|holdout|14": [5, true, 1, 100, 40],
      "cmp_1111|holdout|30": [5, true, 1, 100, 40],
      // cmp_2503: latest contact 03-08 09:00; 7 d closes 03-15 09:00 (complete), 14 d 03-22
      // and 30 d 04-07 are open. 7 d: c07 o065 03-08 400/150; c28 (to 03-15 09:00) o066 200/110
      // + o067 80/50; c01 (to 03-12 10:00) nothing (o069 is 03-15 20:00): 2 of 3, 680/310.
      // Holdout c26 (to 03-12 10:00; o068 is 03-15) and c04: 0 of 2.
      "cmp_2503|treatment|7": [3, true, 2, 680, 310],
      "cmp_2503|treatment|14": [3, false, null, null, null],
      "cmp_2503|treatment|30": [3, false, null, null, null],
      "cmp_2503|holdout|7": [2, true, 0, 0, 0],
      "cmp_2503|holdout|14": [2, false, null, null, null],
      "cmp_2503|holdout|30": [2, false, null, null, null],
      // cmp_ghost (default window 14): latest contact 02-20 10:00, 30 d open (03-22).
      // c02 to 01-17 (7 d): o057 01-15 100/60; c18 to 02-27 (7 d) / 03-06 (14 d): o063 02-28
      // 80/50 in 14 d only; holdout c29: o059 02-05 is after 01-24 (14 d).
      "cmp_ghost|treatment|7": [2, true, 1, 100, 60],
      "cmp_ghost|treatment|14": [2, true, 2, 180, 110],
      "cmp_ghost|treatment|30": [2, false, null, null, null],
      "cmp_ghost|holdout|7": [1, true, 0, 0, 0],
      "cmp_ghost|holdout|14": [1, true, 0, 0, 0],
      "cmp_ghost|holdout|30": [1, false, null, null, null],
    };
    expect(Object.keys(rows).sort()).toEqual(Object.keys(want).sort());
    for (const [key, [contacts, complete, responders, revenue, margin]] of Object.entries(want)) {
      const row = rows[key]!;
      expect({ key, contacts: row.contacts, complete: row.is_complete, responders: row.responders }).toEqual({
        key,
        contacts,
        complete,
        responders,
      });
      expect({ key, revenue: row.revenue, margin: row.gross_margin }).toEqual({ key, revenue, margin });
      if (responders === null) {
        expect(row.response_rate).toBeNull();
        expect(row.revenue_per_contact).toBeNull();
      } else {
        expect(row.response_rate).toBeCloseTo(responders / contacts, 12);
        expect(row.revenue_per_contact).toBeCloseTo(revenue! / contacts, 10);
      }
    }
    expect(rows["cmp_ghost|treatment|7"]!.channel).toBeNull();
    expect(rows["cmp_2503|holdout|7"]!.channel).toBe("app_push");
  });
});

describe("campaign_response_categories", () => {
  it("splits the item revenue of the complete own windows by category", async () => {
    // cmp_0618 (10 d): c15 o027 p03 80, c08 o030 p04 300 -> 女装 2 buyers 380;
    //   c01 o028 p02 200, c07 o029 p01 100, c14 o031 p01 100 -> 美妆 3 buyers 400.
    // cmp_1111 (14 d): o046 p02 200 + o047 p01 100 -> 美妆 2 / 300; o048 p03 80 -> 女装 1 / 80;
    //   x99's o051 has no items. cmp_2503's own window (14 d) is open: no rows.
    // cmp_ghost (14 d): c02 o057 p01 100 -> 美妆; c18 o063 p03 80 -> 女装.
    const rows = await warehouse.rows(
      `select campaign_id, "group", category, buyers, revenue from campaign_response_categories
       order by campaign_id, "group", category`,
    );
    expect(rows).toEqual([
      { campaign_id: "cmp_0618", group: "treatment", category: "女装", buyers: 2, revenue: 380 },
      { campaign_id: "cmp_0618", group: "treatment", category: "美妆", buyers: 3, revenue: 400 },
      { campaign_id: "cmp_1111", group: "treatment", category: "女装", buyers: 1, revenue: 80 },
      { campaign_id: "cmp_1111", group: "treatment", category: "美妆", buyers: 2, revenue: 300 },
      { campaign_id: "cmp_ghost", group: "treatment", category: "女装", buyers: 1, revenue: 80 },
      { campaign_id: "cmp_ghost", group: "treatment", category: "美妆", buyers: 1, revenue: 100 },
    ]);
  });
});

describe("campaign_uplift", () => {
  let rows: ReturnType<typeof byKey>;
  beforeAll(async () => {
    rows = byKey(await warehouse.rows("select * from campaign_uplift"), "campaign_id", "window_days");
  });

  it("compares treatment with holdout for cmp_1111 over 14 days", () => {
    const row = rows["cmp_1111|14"]!;
    // 3/6 vs 1/5: uplift 0.5 - 0.2 = 0.3, relative 0.3 / 0.2 = 1.5.
    expect(row.treatment_contacts).toBe(6);
    expect(row.holdout_contacts).toBe(5);
    expect(row.treatment_rate).toBe(0.5);
    expect(row.holdout_rate).toBe(0.2);
    expect(row.uplift_abs).toBeCloseTo(0.3, 12);
    expect(row.uplift_rel).toBeCloseTo(1.5, 12);
    // Wilson 3/6: centre 0.5, half = z / (6 + z^2) x sqrt(1.5 + z^2/4) = 0.199154 x 1.568555
    // = 0.312384 -> [0.187616, 0.812384]; Wilson 1/5: centre 2.920730 / 8.841459 = 0.330345,
    // half = 0.221679 x sqrt(0.8 + 0.960365) = 0.294121 -> [0.036224, 0.624466].
    // low = 0.3 - sqrt(0.312384^2 + 0.424466^2) = 0.3 - 0.527025 = -0.227025;
    // high = 0.3 + sqrt(0.312384^2 + 0.163776^2) = 0.3 + 0.352713 = 0.652713
    // (mpmath, 25 digits: -0.227024122564, 0.652712511318).
    expect(row.ci_low).toBeCloseTo(-0.227024122564, 9);
    expect(row.ci_high).toBeCloseTo(0.652712511318, 9);
    expect(row.significant).toBe(false);
    // pooled 4/11; se = sqrt(4/11 x 7/11 x (1/6 + 1/5)) = 0.291287; z = 0.3 / 0.291287 = 1.029913;
    // p = 2 (1 - Phi(1.029913)) = 0.303052 (mpmath: 0.30305232949).
    expect(row.p_value).toBeCloseTo(0.30305232949, 9);
    expect(row.incremental_responders).toBeCloseTo(0.3 * 6, 12);
    // revenue per contact: treatment [200, 100, 80, 0, 0, 0] mean 63.333; holdout [100, 0, 0, 0, 0]
    // mean 20; (63.333 - 20) x 6 = 260. Welch se = sqrt(6466.67 / 6 + 2000 / 5) = 38.4419.
    const treatment = [200, 100, 80, 0, 0, 0];
    const holdout = [100, 0, 0, 0, 0];
    const difference = mean(treatment) - mean(holdout);
    const se = Math.sqrt(sampleVariance(treatment) / 6 + sampleVariance(holdout) / 5);
    expect(se).toBeCloseTo(38.4419, 4);
    expect(row.incremental_revenue).toBeCloseTo(260, 9);
    expect(row.incremental_revenue_ci_low).toBeCloseTo((difference - Z * se) * 6, 8); // -192.07
    expect(row.incremental_revenue_ci_high).toBeCloseTo((difference + Z * se) * 6, 8); // 712.07
    // margin per contact: (110 + 60 + 50) / 6 - 40 / 5 = 36.667 - 8 = 28.667; x 6 = 172.
    expect(row.incremental_margin).toBeCloseTo(172, 9);
    // redemptions: o046, o047 (coupon D11, campaign cmp_1111); o048 has no coupon.
    // discount 20 + 20 = 40; cost = 6 x 0.10 + 2 x 5 = 10.6; roi = (172 - 10.6) / 10.6 = 15.2264.
    expect(row.discount_given).toBe(40);
    expect(row.cost).toBeCloseTo(10.6, 9);
    expect(row.roi).toBeCloseTo(161.4 / 10.6, 9);
  });

  it("handles a window where nobody bought: no p-value, an interval around 0", () => {
    const row = rows["cmp_1111|7"]!;
    // 0/6 vs 0/5: pooled rate 0 -> p null; Newcombe (mpmath): [-0.434482468659, 0.390334291656].
    expect(row.uplift_abs).toBe(0);
    expect(row.uplift_rel).toBeNull();
    expect(row.p_value).toBeNull();
    expect(row.ci_low).toBeCloseTo(-0.434482468659, 9);
    expect(row.ci_high).toBeCloseTo(0.390334291656, 9);
    expect(row.discount_given).toBe(0);
    expect(row.cost).toBeCloseTo(0.6, 9); // 6 x 0.10, no redemption
    expect(row.roi).toBeCloseTo(-1, 9); // (0 - 0.6) / 0.6
  });

  it("measures the complete 7-day window of cmp_2503 and nothing of its open windows", () => {
    const row = rows["cmp_2503|7"]!;
    // 2/3 vs 0/2: uplift 0.6667, relative null (holdout rate 0). Newcombe (mpmath):
    // [-0.135300451232, 0.938508055979]; p: pooled 2/5, z = 0.6667 / sqrt(0.24 x 5/6) = 1.490712,
    // p = 0.136037128114.
    expect(row.uplift_abs).toBeCloseTo(2 / 3, 12);
    expect(row.uplift_rel).toBeNull();
    expect(row.ci_low).toBeCloseTo(-0.135300451232, 9);
    expect(row.ci_high).toBeCloseTo(0.938508055979, 9);
    expect(row.p_value).toBeCloseTo(0.136037128114, 9);
    // revenue [400, 0, 280] vs [0, 0]: (226.667 - 0) x 3 = 680; se = sqrt(42133.3 / 3 + 0) = 118.509
    const treatment = [400, 0, 280];
    const se = Math.sqrt(sampleVariance(treatment) / 3 + sampleVariance([0, 0]) / 2);
    expect(row.incremental_revenue).toBeCloseTo(680, 9);
    expect(row.incremental_revenue_ci_low).toBeCloseTo((mean(treatment) - Z * se) * 3, 8); // -16.82
    expect(row.incremental_revenue_ci_high).toBeCloseTo((mean(treatment) + Z * se) * 3, 8); // 1376.82
    // margin (150 + 110 + 50) / 3 x 3 = 310; redemption o065 (M25, cmp_2503), discount 40;
    // cost = 3 x 0.02 + 1 x 0 (no coupon_cost) = 0.06; roi = (310 - 0.06) / 0.06.
    expect(row.incremental_margin).toBeCloseTo(310, 9);
    expect(row.discount_given).toBe(40);
    expect(row.cost).toBeCloseTo(0.06, 12);
    expect(row.roi).toBeCloseTo(309.94 / 0.06, 6);
    for (const window of [14, 30]) {
      const open = rows[`cmp_2503|${window}`]!;
      expect(open.is_complete).toBe(false);
      expect([open.treatment_contacts, open.holdout_contacts]).toEqual([3, 2]);
      for (const column of [
        "treatment_rate",
        "holdout_rate",
        "uplift_abs",
        "ci_low",
        "p_value",
        "incremental_revenue",
        "cost",
        "roi",
      ]) {
        expect(open[column], `${window} ${column}`).toBeNull();
      }
    }
  });

  it("keeps rates and cost without a holdout and compares nothing", () => {
    const row = rows["cmp_0618|10"]!;
    expect(row.holdout_contacts).toBe(0);
    expect(row.treatment_rate).toBeCloseTo(5 / 7, 12);
    expect(row.cost).toBeCloseTo(0.35, 12); // 7 x 0.05
    expect(row.discount_given).toBe(0);
    for (const column of [
      "holdout_rate",
      "uplift_abs",
      "uplift_rel",
      "ci_low",
      "ci_high",
      "p_value",
      "significant",
      "incremental_responders",
      "incremental_revenue",
      "incremental_margin",
      "roi",
    ]) {
      expect(row[column], column).toBeNull();
    }
    expect(
      Object.keys(rows)
        .filter((key) => key.startsWith("cmp_0618"))
        .sort(),
    ).toEqual(["cmp_0618|10", "cmp_0618|14", "cmp_0618|30", "cmp_0618|7"]);
  });

  it("keeps a campaign missing from campaigns.csv with no costs", () => {
    const row = rows["cmp_ghost|14"]!;
    // 2/2 vs 0/1: Newcombe (mpmath) [-0.0305473130643, 1]; p = 0.0832645166636.
    expect(row.uplift_abs).toBe(1);
    expect(row.ci_low).toBeCloseTo(-0.0305473130643, 9);
    expect(row.ci_high).toBeCloseTo(1, 12);
    expect(row.p_value).toBeCloseTo(0.0832645166636, 9);
    expect(row.cost).toBe(0);
    expect(row.roi).toBeNull(); // cost 0
    // one holdout contact: no sample variance, so no Welch interval
    expect(row.incremental_revenue).toBeCloseTo(180, 9);
    expect(row.incremental_revenue_ci_low).toBeNull();
    const seven = rows["cmp_ghost|7"]!;
    // 1/2 vs 0/1: Newcombe (mpmath) [-0.39104934691, 0.905468795361], p = 0.386476230771
    expect(seven.ci_low).toBeCloseTo(-0.39104934691, 9);
    expect(seven.ci_high).toBeCloseTo(0.905468795361, 9);
    expect(seven.p_value).toBeCloseTo(0.386476230771, 9);
  });
});
