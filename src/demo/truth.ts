/**
 * truth.json: what the demo shop was generated from, so tests can check that analytics recover
 * it. It holds every parameter (as parameters.ts states them), the exact sampling methods, the
 * campaign plan with each campaign's realised sizes and true uplift, and the row counts.
 */
import type { PlannedCampaign } from "./campaignPlan.ts";
import type { DemoParameters } from "./parameters.ts";
import type { TableName } from "./sql/output.ts";

export interface CampaignTruth {
  campaignId: string;
  channel: string;
  startedAt: string;
  windowDays: number;
  /** Who could be contacted: `all` CRM customers seen, `buyers` who bought, `members` who joined, before the start day. */
  segment: string;
  offer: string;
  holdoutShare: number;
  contacts: number;
  treatmentContacts: number;
  holdoutContacts: number;
  /** Share of all the campaign's contacts with a natural (not campaign-caused) purchase in their window. */
  naturalResponseRate: number;
  /** φ: the probability that a treatment contact makes an extra, campaign-caused purchase in the window. */
  persuasionProbability: number;
  /** δ = φ (1 - naturalResponseRate): the additive lift of the probability of a purchase in the window. */
  trueUplift: number;
  inducedPurchases: number;
}

export interface Truth {
  generator: "huitou demo";
  /** Bumped when the same seed would give different files. */
  version: 1;
  seed: number;
  customers: number;
  format: "csv" | "parquet";
  period: DemoParameters["period"] & { lastTimestamp: string };
  /** Every generating parameter, as parameters.ts documents them (time unit: days). */
  parameters: DemoParameters;
  /** The model in words, with the exact distributions sampled. */
  model: Record<string, string>;
  campaigns: CampaignTruth[];
  /** Rows per written file, and a few populations. */
  counts: Record<TableName, number> & {
    fans: number;
    buyers: number;
    guests: number;
    members: number;
    referred: number;
    purchases: number;
    inducedPurchases: number;
  };
  files: string[];
}

/** The model description written into truth.json. */
export function modelDescription(params: DemoParameters): Record<string, string> {
  const { r, alpha, a, b } = params.purchase;
  const { p, q, gamma } = params.spend;
  return {
    clock:
      "Purchase times run on a season-adjusted clock G(t): the running sum of a daily intensity (618, 双11, 双12 peaks; Spring Festival lull; weekends x1.08) scaled to mean 1, so rates are per ordinary day. Times of day follow an hourly profile; a repeat on the first purchase's day is placed after it.",
    purchase: `BG/NBD. Each buyer's first purchase is at acquisition. λ ~ Gamma(shape ${r}, rate ${alpha}) per day; repeat purchases are a Poisson process of rate λ (x ${params.members.rateMultiplier} from member_since on, x ${params.referral.rateMultiplier} for referred customers); after each repeat purchase the buyer drops out with probability p ~ Beta(${a}, ${b}). Arrivals after the period's end are unobserved. The number of arrivals generated is capped at mean + 6 sd + 6 of those the period can hold (binding with negligible probability).`,
    spend: `Gamma-Gamma. ν ~ Gamma(shape ${q}, rate ${gamma}) per customer; each purchase's paid_amount ~ Gamma(shape ${p}, rate ν) (population mean p γ / (q - 1) = ${(p * gamma) / (q - 1)}), rounded per item to the fen (at most 0.005 per unit). Partial refunds later reduce net revenue of some purchases. Induced purchases are topped up to their coupon threshold.`,
    outsideTheModel:
      "Add-on purchases (a second purchase the same day), campaign-induced purchases, cancelled duplicates and fully refunded extra orders are generated besides the BG/NBD process; add-ons and induced purchases count as purchases, the others do not.",
    campaigns:
      "Contacts are a stratified random sample of the segment's eligible customers (ranked by when they joined it, cut into as many strata as contacts, one drawn uniformly from each); each is a holdout with the campaign's holdout share. A treatment contact makes an extra purchase in the window with probability φ = δ / (1 - h), h being the natural response rate of all the campaign's contacts, so treatment_rate - holdout_rate has expectation δ (trueUplift). Response windows of different campaigns never overlap.",
    members: `Buyers are members with probability ${params.members.buyerMemberShare} (joining at the first purchase, after it by Exp(mean ${params.members.joinAfterMeanDays} days), or before it); fans with probability ${params.members.fanMemberShare}. Tier is today's tier from lifetime paid amount.`,
    referral:
      "A referred customer (acquisition_channel referral) points at a member chosen uniformly among those whose member_since is before the customer's created_at.",
    reviews: `A purchase is reviewed with probability ${params.reviews.share}, 1 to 10 days later; P(rating <= 2) = ${params.reviews.lowRatingBase} + ${params.reviews.lowRatingSlope} x the buyer's dropout probability p.`,
    sampling:
      "Uniforms: the top 53 bits of hash(hash(key x 1024 + stream) xor mix(seed)); categorical draws, flags and delays use 16-bit uniforms, four from one such hash (resolution 1/65536). Gamma with a half-integer shape: exactly, as a sum of exponentials plus half a squared normal (Box-Muller). Beta(a, b) = X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). The first n arrival times: S_(n+1) ~ Gamma(n + 1) times n iid uniforms (the order statistics of arrivals given S_(n+1)); S_(n+1) by Marsaglia-Tsang with 6 tries (all rejected with probability < 1.6e-8, then its centre).",
  };
}

/** The per-campaign truth from the plan and the realised sizes. */
export function campaignTruth(
  plan: PlannedCampaign,
  realised: { contacts: number; holdout: number; naturalRate: number; persuasion: number; induced: number },
): CampaignTruth {
  return {
    campaignId: plan.campaignId,
    channel: plan.channel,
    startedAt: plan.startedAt,
    windowDays: plan.windowDays,
    segment: plan.segment,
    offer: plan.offer.label,
    holdoutShare: plan.holdoutShare,
    contacts: realised.contacts,
    treatmentContacts: realised.contacts - realised.holdout,
    holdoutContacts: realised.holdout,
    naturalResponseRate: realised.naturalRate,
    persuasionProbability: realised.persuasion,
    trueUplift: realised.persuasion * (1 - realised.naturalRate),
    inducedPurchases: realised.induced,
  };
}
