import { describe, expect, it } from "vitest";
import { planCampaigns } from "../../src/demo/campaignPlan.ts";

const DAY = 86_400_000;
const plan = planCampaigns(42, "2023-01-01", "2025-12-31", 100_000);

describe("planCampaigns", () => {
  it("plans two campaigns a month from March 2023 to December 2025: 34 x 2 = 68", () => {
    expect(plan).toHaveLength(68);
    expect(plan[0]!.startedAt).toBe("2023-03-05 09:00:00");
    expect(plan.at(-1)!.startedAt).toBe("2025-12-20 09:00:00");
    expect(new Set(plan.map((c) => c.campaignId)).size).toBe(68);
    expect(plan.map((c) => c.number)).toEqual(plan.map((_, index) => index + 1));
  });

  it("never lets two response windows overlap (contacts go out until 13:00)", () => {
    for (let n = 1; n < plan.length; n++) {
      const previous = plan[n - 1]!;
      const lastContact = Date.parse(`${previous.startedAt.replace(" ", "T")}Z`) + 4 * 3600_000;
      const windowEnd = lastContact + previous.windowDays * DAY;
      expect(Date.parse(`${plan[n]!.startedAt.replace(" ", "T")}Z`)).toBeGreaterThan(windowEnd);
    }
  });

  it("keeps every window inside the period", () => {
    const end = Date.parse("2026-01-01T00:00:00Z");
    for (const c of plan) {
      expect(
        Date.parse(`${c.startedAt.replace(" ", "T")}Z`) + 4 * 3600_000 + c.windowDays * DAY,
      ).toBeLessThan(end);
    }
  });

  it("starts the 618, 双11 and 双12 campaigns on the 1st, by SMS", () => {
    const events = plan.filter((c) => /-(06|11|12)-01 /.test(c.startedAt));
    expect(events).toHaveLength(9);
    for (const c of events) expect(c.channel).toBe("sms");
    expect(events.map((c) => c.name.split(" ")[0])).toContain("双11");
  });

  it("draws uplifts within the channel's range and holdouts of 10% to 20%", () => {
    const base = { sms: 0.015, edm: 0.006, wechat_template: 0.02, ai_call: 0.045, app_push: 0.01 };
    for (const c of plan) {
      const event = /-(06|11|12)-01 /.test(c.startedAt) ? 1.3 : 1;
      // base x event x [0.6, 1.4], rounded to 4 decimals.
      expect(c.trueUplift).toBeGreaterThanOrEqual(base[c.channel] * event * 0.6 - 0.00005);
      expect(c.trueUplift).toBeLessThanOrEqual(base[c.channel] * event * 1.4 + 0.00005);
      expect(c.holdoutShare).toBeGreaterThanOrEqual(0.1);
      expect(c.holdoutShare).toBeLessThanOrEqual(0.2);
    }
    expect(plan.filter((c) => c.channel === "ai_call").every((c) => c.segment === "members")).toBe(true);
  });

  it("is deterministic for a seed", () => {
    expect(planCampaigns(42, "2023-01-01", "2025-12-31", 100_000)).toEqual(plan);
    const other = planCampaigns(43, "2023-01-01", "2025-12-31", 100_000);
    expect(other.map((c) => c.trueUplift)).not.toEqual(plan.map((c) => c.trueUplift));
  });
});
