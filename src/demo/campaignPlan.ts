/**
 * The campaign calendar: two campaigns a month (a main one on the 5th, or the 1st in the 618,
 * 双11 and 双12 months, with a 14-day window; a short one on the 20th with a 7-day window), so
 * no two response windows overlap and each campaign's true uplift is cleanly its own. Sizes,
 * holdout shares and true uplifts are drawn here from the seed.
 */
import { mulberry32 } from "./random.ts";

export type CampaignChannel = "sms" | "edm" | "wechat_template" | "ai_call" | "app_push";
/** Who may be contacted: CRM customers seen, buyers who bought, members who joined, before the campaign's day. */
export type Segment = "all" | "buyers" | "members";

export interface Offer {
  label: string;
  /** Minimum gross amount (满 X); 0 for a threshold-free coupon. */
  threshold: number;
  /** Discount (减 Y); 0 for a gift. */
  amount: number;
  /** Cost per redemption not deducted from paid_amount (a gift); null for a plain discount. */
  couponCost: number | null;
}

export interface PlannedCampaign {
  /** 1-based, in start order: the key of the campaign's random streams. */
  number: number;
  campaignId: string;
  name: string;
  channel: CampaignChannel;
  /** Start day relative to the period start; contacts go out 09:00 to 13:00 that day. */
  startDay: number;
  startedAt: string;
  windowDays: number;
  offer: Offer;
  costPerContact: number;
  segment: Segment;
  /** Share of the eligible customers contacted (capped by maxContacts). */
  contactShare: number;
  maxContacts: number;
  /** Share of the contacts held out at random (not sent). */
  holdoutShare: number;
  /** The designed additive lift of the probability of a purchase inside the window. */
  trueUplift: number;
}

interface ChannelTraits {
  uplift: number;
  costPerContact: number;
  segment: Segment;
  share: [number, number];
  label: string;
}

const CHANNELS: Record<CampaignChannel, ChannelTraits> = {
  sms: { uplift: 0.015, costPerContact: 0.05, segment: "buyers", share: [0.08, 0.2], label: "短信" },
  edm: { uplift: 0.006, costPerContact: 0.01, segment: "all", share: [0.1, 0.25], label: "邮件" },
  wechat_template: {
    uplift: 0.02,
    costPerContact: 0,
    segment: "all",
    share: [0.08, 0.2],
    label: "微信模板消息",
  },
  ai_call: { uplift: 0.045, costPerContact: 0.6, segment: "members", share: [0.06, 0.12], label: "AI外呼" },
  app_push: { uplift: 0.01, costPerContact: 0, segment: "buyers", share: [0.1, 0.25], label: "App推送" },
};

const OFFERS: Offer[] = [
  { label: "满199减30", threshold: 199, amount: 30, couponCost: null },
  { label: "满299减50", threshold: 299, amount: 50, couponCost: null },
  { label: "满99减10", threshold: 99, amount: 10, couponCost: null },
  { label: "无门槛5元券", threshold: 0, amount: 5, couponCost: null },
  { label: "满399送面膜", threshold: 399, amount: 0, couponCost: 15 },
];

const MAIN_CHANNELS: CampaignChannel[] = ["sms", "ai_call", "wechat_template", "edm", "sms", "app_push"];
const SHORT_CHANNELS: CampaignChannel[] = ["wechat_template", "app_push", "edm"];
const THEMES = ["会员日", "新品上市", "换季上新", "老客回馈", "沉睡唤醒", "周年庆"];
const EVENTS: Record<number, string> = { 6: "618 年中大促", 11: "双11 狂欢节", 12: "双12 年终盛典" };

const DAY_MS = 86_400_000;

/** The campaigns of a period, from its third month on (the CRM needs customers first). */
export function planCampaigns(
  seed: number,
  start: string,
  end: string,
  maxContacts: number,
): PlannedCampaign[] {
  const random = mulberry32(seed ^ 0xca3a);
  const first = Date.parse(`${start}T00:00:00Z`);
  const last = Date.parse(`${end}T00:00:00Z`);
  const campaigns: PlannedCampaign[] = [];
  const cursor = new Date(first);
  cursor.setUTCMonth(cursor.getUTCMonth() + 2, 1);
  for (let monthIndex = 0; cursor.getTime() <= last; monthIndex++) {
    const year = cursor.getUTCFullYear();
    const month = cursor.getUTCMonth() + 1;
    const event = EVENTS[month];
    // [day of month, window days, channel, theme, is the month's shopping festival]
    const slots: [number, number, CampaignChannel, string, boolean][] = [
      [
        event ? 1 : 5,
        14,
        event ? "sms" : MAIN_CHANNELS[monthIndex % MAIN_CHANNELS.length]!,
        event ?? THEMES[monthIndex % THEMES.length]!,
        event !== undefined,
      ],
      [20, 7, SHORT_CHANNELS[monthIndex % SHORT_CHANNELS.length]!, "限时闪购", false],
    ];
    for (const [dayOfMonth, windowDays, channel, theme, festival] of slots) {
      const startTime = Date.UTC(year, month - 1, dayOfMonth);
      // The whole window must lie inside the period, so every campaign's truth is complete.
      if (startTime < first || startTime + (windowDays + 1) * DAY_MS > last + DAY_MS) continue;
      const traits = CHANNELS[channel];
      const offer = OFFERS[Math.floor(random() * OFFERS.length)]!;
      const number = campaigns.length + 1;
      const yymm = `${String(year).slice(2)}${String(month).padStart(2, "0")}`;
      campaigns.push({
        number,
        campaignId: `MKT${yymm}${dayOfMonth < 15 ? "A" : "B"}`,
        name: `${festival ? "" : `${month}月`}${theme} ${offer.label} ${traits.label}`,
        channel,
        startDay: Math.round((startTime - first) / DAY_MS),
        startedAt: `${new Date(startTime).toISOString().slice(0, 10)} 09:00:00`,
        windowDays,
        offer,
        costPerContact: traits.costPerContact,
        segment: traits.segment,
        contactShare: round(traits.share[0] + random() * (traits.share[1] - traits.share[0]), 3),
        maxContacts: channel === "ai_call" ? Math.min(maxContacts, 20_000) : maxContacts,
        holdoutShare: round(0.1 + random() * 0.1, 2),
        trueUplift: round(traits.uplift * (festival ? 1.3 : 1) * (0.6 + 0.8 * random()), 4),
      });
    }
    cursor.setUTCMonth(cursor.getUTCMonth() + 1, 1);
  }
  return campaigns;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
