/**
 * The shop's calendar: a seasonal intensity per day (618, 双11, 双12 peaks, a Spring Festival
 * lull, busier weekends), scaled to average exactly 1 over the period. Purchases follow it by a
 * change of clock: a customer's purchase process runs in "season-adjusted days" G(t), the running
 * sum of the intensity, so a rate λ means λ purchases per ordinary day and more on 双11.
 */

export interface CalendarDay {
  /** Days since the period start (0-based). */
  day: number;
  date: string;
  /** Seasonal purchase intensity, mean 1 over the period. */
  intensity: number;
  /** G at the start of the day: sum of the intensity of the days before. */
  intensityBefore: number;
  /** Acquisition intensity (seasonal x linear growth), and its running sum before the day. */
  acquisition: number;
  acquisitionBefore: number;
  /** A platform promotion day: 618 (06-01..06-18), 双11 (11-01..11-11), 双12 (12-01..12-12). */
  isEvent: boolean;
}

/** Whether a date falls in one of the platform promotions. */
export function isPromotionDay(date: string): boolean {
  const md = date.slice(5, 7) + date.slice(8, 10);
  return (md >= "0601" && md <= "0618") || (md >= "1101" && md <= "1111") || (md >= "1201" && md <= "1212");
}

const DAY_MS = 86_400_000;

/** Lunar new year's day in the years the demo can cover; the lull spans a week either side. */
const SPRING_FESTIVAL: Record<number, string> = {
  2022: "2022-02-01",
  2023: "2023-01-22",
  2024: "2024-02-10",
  2025: "2025-01-29",
  2026: "2026-02-17",
};

/** The raw (unscaled) intensity of one date: the retail calendar of a Chinese online shop. */
export function seasonalIntensity(date: string): number {
  const [year, month, dayOfMonth] = date.split("-").map(Number) as [number, number, number];
  const time = Date.UTC(year, month - 1, dayOfMonth);
  const weekday = new Date(time).getUTCDay();
  let intensity = weekday === 0 || weekday === 6 ? 1.08 : 1;
  const festival = SPRING_FESTIVAL[year];
  if (festival && Math.abs(time - Date.parse(`${festival}T00:00:00Z`)) <= 7 * DAY_MS) intensity *= 0.55;
  const md = month * 100 + dayOfMonth;
  if (md >= 306 && md <= 308) intensity *= 1.4; // 女王节 (March 8)
  if (md >= 601 && md <= 617) intensity *= 1.6;
  if (md === 618) intensity *= 3.5;
  if (md >= 1024 && md <= 1031) intensity *= 1.3; // 双11 pre-sale
  if (md >= 1101 && md <= 1110) intensity *= 1.8;
  if (md === 1111) intensity *= 6;
  if (md >= 1201 && md <= 1211) intensity *= 1.4;
  if (md === 1212) intensity *= 3;
  return intensity;
}

/** Every day of [start, end] (inclusive) with its intensities and running sums. */
export function buildCalendar(start: string, end: string, acquisitionGrowth: number): CalendarDay[] {
  const first = Date.parse(`${start}T00:00:00Z`);
  const days = Math.round((Date.parse(`${end}T00:00:00Z`) - first) / DAY_MS) + 1;
  if (!(days > 0)) throw new Error(`invalid period: ${start}..${end}`);
  const dates = Array.from({ length: days }, (_, day) =>
    new Date(first + day * DAY_MS).toISOString().slice(0, 10),
  );
  const raw = dates.map(seasonalIntensity);
  const mean = raw.reduce((sum, value) => sum + value, 0) / days;
  let intensityBefore = 0;
  let acquisitionBefore = 0;
  return dates.map((date, day) => {
    const intensity = raw[day]! / mean;
    const acquisition = intensity * (1 + (acquisitionGrowth * day) / Math.max(1, days - 1));
    const row = {
      day,
      date,
      intensity,
      intensityBefore,
      acquisition,
      acquisitionBefore,
      isEvent: isPromotionDay(date),
    };
    intensityBefore += intensity;
    acquisitionBefore += acquisition;
    return row;
  });
}

/**
 * A double as a SQL literal that DuckDB reads back as exactly the same double: a numeric
 * literal goes through DECIMAL first and can land one ulp away (1 in 300 of these sums did).
 */
export function sqlDouble(value: number): string {
  return `'${value}'::DOUBLE`;
}

/** Orders by hour of day (shop time): a lunch bump and the evening peak of Chinese e-commerce. */
export const HOUR_MIX: Record<string, number> = {
  0: 1.2,
  1: 0.6,
  2: 0.3,
  3: 0.2,
  4: 0.15,
  5: 0.2,
  6: 0.5,
  7: 1.2,
  8: 2,
  9: 3,
  10: 4,
  11: 4.2,
  12: 4.5,
  13: 4,
  14: 3.8,
  15: 3.8,
  16: 3.9,
  17: 4,
  18: 4.3,
  19: 5,
  20: 6.5,
  21: 7,
  22: 5.5,
  23: 3,
};

/**
 * A lookup from a position on a running-sum clock (G, the purchase clock, or A, the acquisition
 * clock) to the day holding it, without a search: buckets `width` wide, at most half the
 * shortest day, so a bucket holds at most one day boundary. The day of position x is
 * `firstDays[b]`, or the next day from `boundaries[b]` on, where b = floor(x / width).
 */
export function clockBuckets(
  calendar: CalendarDay[],
  clock: "g" | "a",
): { width: number; firstDays: number[]; boundaries: number[] } {
  const spans = calendar.map((day) => (clock === "g" ? day.intensity : day.acquisition));
  const starts = calendar.map((day) => (clock === "g" ? day.intensityBefore : day.acquisitionBefore));
  const width = Math.min(...spans) / 2;
  const total = starts.at(-1)! + spans.at(-1)!;
  const firstDays: number[] = [];
  const boundaries: number[] = [];
  let day = 0;
  for (let bucket = 0; bucket * width < total; bucket++) {
    const start = bucket * width;
    while (day + 1 < calendar.length && starts[day + 1]! <= start) day++;
    firstDays.push(day);
    boundaries.push(day + 1 < calendar.length ? starts[day + 1]! : Number.MAX_VALUE);
  }
  return { width, firstDays, boundaries };
}
