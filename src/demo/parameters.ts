/**
 * The true generating model of the demo shop: every number the generator samples from. They are
 * written to truth.json as they are here, so a test of the analytics can compare a fit with them.
 * Time unit: days. Rates are per day of *season-adjusted* time (see calendar.ts): the seasonal
 * intensity averages 1 over the period, so a rate reads as "per ordinary day".
 */

/** Shares that sum to 1, keyed by the value written to the files. */
export type Mix = Record<string, number>;

export interface DemoParameters {
  period: { start: string; end: string; timezone: string; currency: string };
  /**
   * BG/NBD: λ ~ Gamma(r, rate alpha) per day; after each repeat purchase, dropout w.p. p ~ Beta(a, b).
   * Shapes (r, a, b, and p, q of the spend model) must be multiples of 0.5: random.ts samples them exactly.
   */
  purchase: { r: number; alpha: number; a: number; b: number };
  /** Gamma-Gamma: ν ~ Gamma(q, rate gamma) per customer; each purchase's paid amount ~ Gamma(p, rate ν). */
  spend: { p: number; q: number; gamma: number };
  customers: {
    /** CRM customers who never buy on their own (they may still answer a campaign). */
    fanShare: number;
    /** Buyers missing from the CRM export (marketplace guests): their orders are kept. */
    guestShare: number;
    acquisitionChannels: Mix;
    /** How long before the first purchase a buyer was first seen: 0 w.p. `sameTimeShare`, else Exp(mean). */
    createdBeforeFirstPurchase: { sameTimeShare: number; meanDays: number };
    /** Acquisitions grow linearly: the last day's intensity is (1 + growth) times the first day's. */
    acquisitionGrowth: number;
  };
  members: {
    buyerMemberShare: number;
    fanMemberShare: number;
    /** When a buying member joined, relative to the first purchase. */
    joinTiming: { atFirstPurchase: number; afterFirstPurchase: number; beforeFirstPurchase: number };
    /** Joining after the first purchase: Exp(mean) days later (members whose date falls past the end are not members). */
    joinAfterMeanDays: number;
    /** The purchase rate is multiplied by this from member_since on. */
    rateMultiplier: number;
    /** Today's tier from lifetime paid amount (CNY), highest threshold met. */
    tiers: { name: string; minPaid: number }[];
  };
  referral: {
    /** Purchase-rate multiplier of customers with a referrer. */
    rateMultiplier: number;
  };
  orders: {
    /** Another purchase the same day, 5 to 125 minutes later, per purchase (outside BG/NBD). */
    addOnShare: number;
    /** Purchases split into two orders sharing parent_order_id (only purchases with 2+ items). */
    splitShare: number;
    /** Per purchase: a cancelled duplicate order placed 10 min to 24 h after it. */
    cancelledShare: number;
    /** Per purchase: a fully refunded order of the same items 1 to 30 days after it. */
    refundedShare: number;
    /** Share of (unsplit) purchases partially refunded: 20% to 70% of the paid amount. */
    partialRefundShare: number;
    itemsPerPurchase: Mix;
    quantity: Mix;
    /** A customer's own channel (acquisition channel; referral → wechat) w.p. this, else a draw. */
    homeChannelShare: number;
    channels: Mix;
    /** Per item: order_items.unit_cost left empty (falls back to the product's cost). */
    itemCostMissingShare: number;
    /** First purchases using the new-customer coupon (满59减10, code XINREN10). */
    newcomerCouponShare: number;
    /** Platform promotion during 618, 双11, 双12: 40 off per full 260 paid (满300减40). */
    eventDiscount: { per: number; off: number };
  };
  reviews: {
    share: number;
    /** P(rating <= 2) = base + slope x the customer's dropout probability p. */
    lowRatingBase: number;
    lowRatingSlope: number;
  };
  marketing: {
    /** Acquisition spend per new CRM customer by channel (CNY), times a monthly draw in [0.8, 1.2). */
    costPerAcquisition: Mix;
  };
  campaigns: {
    /** Redemption by a treatment contact's natural purchase in the window that meets the threshold. */
    naturalRedemptionShare: number;
    /** Contacts per campaign are capped (a budget): at most this many. */
    maxContacts: number;
  };
}

/** The demo shop's true parameters (documented in truth.json). */
export const defaultParameters: DemoParameters = {
  period: { start: "2023-01-01", end: "2025-12-31", timezone: "Asia/Shanghai", currency: "CNY" },
  purchase: { r: 0.5, alpha: 55, a: 1.5, b: 4.5 },
  spend: { p: 6, q: 4, gamma: 120 },
  customers: {
    fanShare: 0.2,
    guestShare: 0.02,
    acquisitionChannels: { wechat: 0.32, app: 0.14, store: 0.14, tmall: 0.16, douyin: 0.14, referral: 0.1 },
    createdBeforeFirstPurchase: { sameTimeShare: 0.6, meanDays: 20 },
    acquisitionGrowth: 1,
  },
  members: {
    buyerMemberShare: 0.38,
    fanMemberShare: 0.08,
    joinTiming: { atFirstPurchase: 0.55, afterFirstPurchase: 0.3, beforeFirstPurchase: 0.15 },
    joinAfterMeanDays: 120,
    rateMultiplier: 1.6,
    tiers: [
      { name: "黑金", minPaid: 8000 },
      { name: "金卡", minPaid: 3000 },
      { name: "银卡", minPaid: 1000 },
      { name: "普通", minPaid: 0 },
    ],
  },
  referral: { rateMultiplier: 1.2 },
  orders: {
    addOnShare: 0.03,
    splitShare: 0.15,
    cancelledShare: 0.04,
    refundedShare: 0.03,
    partialRefundShare: 0.03,
    itemsPerPurchase: { "1": 0.55, "2": 0.27, "3": 0.12, "4": 0.06 },
    quantity: { "1": 0.85, "2": 0.12, "3": 0.03 },
    homeChannelShare: 0.7,
    channels: { wechat: 0.34, app: 0.16, store: 0.16, tmall: 0.18, douyin: 0.16 },
    itemCostMissingShare: 0.3,
    newcomerCouponShare: 0.3,
    eventDiscount: { per: 260, off: 40 },
  },
  reviews: { share: 0.3, lowRatingBase: 0.03, lowRatingSlope: 0.25 },
  marketing: { costPerAcquisition: { wechat: 35, app: 55, store: 20, tmall: 80, douyin: 65, referral: 25 } },
  campaigns: { naturalRedemptionShare: 0.5, maxContacts: 50_000 },
};
