import { describe, expect, it } from "vitest";
import { buildCalendar, clockBuckets, isPromotionDay, seasonalIntensity } from "../../src/demo/calendar.ts";

describe("seasonalIntensity", () => {
  it("peaks on 双11, 618 and 双12 and is busier on weekends", () => {
    expect(seasonalIntensity("2024-07-10")).toBe(1); // a Wednesday
    expect(seasonalIntensity("2024-07-13")).toBe(1.08); // a Saturday
    expect(seasonalIntensity("2024-11-11")).toBe(6); // Monday: 1 x 6
    expect(seasonalIntensity("2023-11-11")).toBeCloseTo(6.48, 12); // Saturday: 1.08 x 6
    expect(seasonalIntensity("2024-06-18")).toBe(3.5); // Tuesday
    expect(seasonalIntensity("2024-12-12")).toBe(3); // Thursday
    expect(seasonalIntensity("2024-11-05")).toBe(1.8); // Tuesday in the 双11 run-up
    expect(seasonalIntensity("2024-03-08")).toBe(1.4); // Friday, 女王节
  });

  it("dips around the Spring Festival", () => {
    // 2024-02-10 is lunar new year's day and a Saturday: 1.08 x 0.55.
    expect(seasonalIntensity("2024-02-10")).toBeCloseTo(0.594, 12);
    // A week later, 2024-02-17 (Saturday), still inside the +-7 day lull; 2024-02-19 (Monday) is out.
    expect(seasonalIntensity("2024-02-17")).toBeCloseTo(0.594, 12);
    expect(seasonalIntensity("2024-02-19")).toBe(1);
  });
});

describe("buildCalendar", () => {
  const calendar = buildCalendar("2023-01-01", "2025-12-31", 1);

  it("covers every day: 365 + 366 + 365 = 1096", () => {
    expect(calendar).toHaveLength(1096);
    expect(calendar[0]!.date).toBe("2023-01-01");
    expect(calendar.at(-1)!.date).toBe("2025-12-31");
  });

  it("scales the intensity to mean 1, so G at the end equals the number of days", () => {
    const last = calendar.at(-1)!;
    expect(last.intensityBefore + last.intensity).toBeCloseTo(1096, 9);
  });

  it("keeps running sums and the ratio between days", () => {
    for (let d = 1; d < calendar.length; d++) {
      const previous = calendar[d - 1]!;
      expect(calendar[d]!.intensityBefore).toBeCloseTo(previous.intensityBefore + previous.intensity, 9);
      expect(calendar[d]!.acquisitionBefore).toBeCloseTo(
        previous.acquisitionBefore + previous.acquisition,
        9,
      );
    }
    const byDate = new Map(calendar.map((day) => [day.date, day]));
    // 6 / 1: 双11 2024 (a Monday) against an ordinary Wednesday.
    expect(byDate.get("2024-11-11")!.intensity / byDate.get("2024-07-10")!.intensity).toBeCloseTo(6, 12);
  });

  it("grows acquisitions linearly: x1 on the first day, x2 on the last (growth 1)", () => {
    expect(calendar[0]!.acquisition / calendar[0]!.intensity).toBeCloseTo(1, 12);
    const last = calendar.at(-1)!;
    expect(last.acquisition / last.intensity).toBeCloseTo(2, 12);
  });

  it("marks the platform promotion days: 18 + 11 + 12 = 41 a year", () => {
    expect(calendar.filter((day) => day.isEvent)).toHaveLength(3 * 41);
    expect(isPromotionDay("2024-06-18")).toBe(true);
    expect(isPromotionDay("2024-06-19")).toBe(false);
    expect(isPromotionDay("2024-11-11")).toBe(true);
    expect(isPromotionDay("2024-11-12")).toBe(false);
    expect(isPromotionDay("2024-12-01")).toBe(true);
    expect(isPromotionDay("2024-10-31")).toBe(false);
  });

  it("cuts a clock into buckets of half its shortest day, each holding at most one day start", () => {
    // Three days of intensity 1, 0.5 and 2: G starts them at 0, 1 and 1.5; width 0.5 / 2 = 0.25.
    const days = [
      {
        day: 0,
        date: "2024-01-01",
        intensity: 1,
        intensityBefore: 0,
        acquisition: 1,
        acquisitionBefore: 0,
        isEvent: false,
      },
      {
        day: 1,
        date: "2024-01-02",
        intensity: 0.5,
        intensityBefore: 1,
        acquisition: 1,
        acquisitionBefore: 1,
        isEvent: false,
      },
      {
        day: 2,
        date: "2024-01-03",
        intensity: 2,
        intensityBefore: 1.5,
        acquisition: 1,
        acquisitionBefore: 2,
        isEvent: false,
      },
    ];
    const { width, firstDays, boundaries } = clockBuckets(days, "g");
    expect(width).toBe(0.25);
    // Buckets start at 0, 0.25, ..., 3.25 (G ends at 3.5): 14 of them.
    expect(firstDays).toEqual([0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(boundaries.slice(0, 7)).toEqual([1, 1, 1, 1, 1.5, 1.5, Number.MAX_VALUE]);
  });

  it("rejects an empty period", () => {
    expect(() => buildCalendar("2024-01-02", "2024-01-01", 0)).toThrow(/invalid period/);
  });
});
