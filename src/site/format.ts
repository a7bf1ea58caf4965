/**
 * Number, percent, money and date formats for the two locales. Chinese groups large amounts in
 * 万 (1e4) and 亿 (1e8), as Chinese readers count (¥1.23亿, not ¥123M); English uses K, M, B.
 * Compact forms are for tiles, text and chart axes; tables keep every digit (and their CSV the
 * raw value). Money is the shop currency (CNY, shown as ¥). Nulls read as an em dash.
 */
import type { Locale } from "./types.ts";
import type { Unit } from "./units.ts";

export interface FormatOptions {
  /** 万/亿 (zh) or K/M/B (en) for large numbers. */
  compact?: boolean;
  /** A leading + on positive numbers (changes, uplift). */
  signed?: boolean;
}

const MISSING = "—";

const GROUPED: Record<Locale, Record<number, Intl.NumberFormat>> = { zh: {}, en: {} };

/** `1234567.891` with `digits` decimals and thousands separators, e.g. `1,234,567.89`. */
export function grouped(value: number, digits: number, locale: Locale): string {
  let format = GROUPED[locale][digits];
  if (!format) {
    format = new Intl.NumberFormat(locale === "zh" ? "zh-CN" : "en-US", {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    GROUPED[locale][digits] = format;
  }
  // -0 would print as "-0"
  return format.format(value === 0 ? 0 : value);
}

/**
 * A large number with the locale's unit words: zh 万 from 1e5 and 亿 from 1e8 (two decimals),
 * en K, M, B from 1e4 (three significant digits). Below the threshold: grouped digits.
 */
export function compactNumber(value: number, locale: Locale, smallDigits = 0): string {
  const abs = Math.abs(value);
  if (locale === "zh") {
    if (abs >= 1e8) return `${trimZeros((value / 1e8).toFixed(2))}亿`;
    if (abs >= 1e5) return `${trimZeros((value / 1e4).toFixed(abs >= 1e7 ? 0 : abs >= 1e6 ? 1 : 2))}万`;
    return grouped(value, smallDigits, locale);
  }
  for (const [size, suffix] of [
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "K"],
  ] as const) {
    if (abs >= size && (size > 1e3 || abs >= 1e4)) {
      const scaled = value / size;
      const digits = Math.abs(scaled) >= 100 ? 0 : Math.abs(scaled) >= 10 ? 1 : 2;
      return `${trimZeros(scaled.toFixed(digits))}${suffix}`;
    }
  }
  return grouped(value, smallDigits, locale);
}

function trimZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

function sign(value: number, signed: boolean | undefined): string {
  return signed && value > 0 ? "+" : "";
}

/** Formats one value by its unit; strings that are not numbers are returned as they are. */
export function formatValue(
  value: string | number | boolean | null | undefined,
  unit: Unit,
  locale: Locale,
  options: FormatOptions = {},
): string {
  if (value === null || value === undefined || value === "") return MISSING;
  if (typeof value === "boolean") return locale === "zh" ? (value ? "是" : "否") : value ? "yes" : "no";
  if (unit === "date" || unit === "month" || unit === "timestamp")
    return formatDate(String(value), unit, locale);
  if (unit === "text") return String(value);
  const number = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(number)) return String(value);
  return formatNumber(number, unit, locale, options);
}

function formatNumber(value: number, unit: Unit, locale: Locale, options: FormatOptions): string {
  const plus = sign(value, options.signed);
  switch (unit) {
    case "percent":
      return `${plus}${grouped(value * 100, Math.abs(value) < 0.001 && value !== 0 ? 2 : 1, locale)}%`;
    case "pp": {
      const points = grouped(value * 100, 1, locale);
      return locale === "zh" ? `${plus}${points}个百分点` : `${plus}${points} pp`;
    }
    case "currency": {
      const abs = Math.abs(value);
      const digits = abs < 1000 ? 2 : 0;
      const text = options.compact ? compactNumber(abs, locale, digits) : grouped(abs, digits, locale);
      return `${value < 0 ? "-" : plus}¥${text}`;
    }
    case "count": {
      const rounded = Math.round(value);
      return plus + (options.compact ? compactNumber(rounded, locale) : grouped(rounded, 0, locale));
    }
    case "ratio":
      return `${plus}${grouped(value, value >= 10 ? 1 : 2, locale)}×`;
    case "days":
      return `${plus}${grouped(value, Number.isInteger(value) ? 0 : 1, locale)}${locale === "zh" ? "天" : " days"}`;
    case "months":
      return `${plus}${grouped(value, Number.isInteger(value) ? 0 : 1, locale)}${locale === "zh" ? "个月" : " months"}`;
    case "years":
      return `${plus}${grouped(value, 1, locale)}${locale === "zh" ? "年" : " years"}`;
    default: {
      if (options.compact && Math.abs(value) >= 1e4) return plus + compactNumber(value, locale);
      const abs = Math.abs(value);
      const digits = Number.isInteger(value) ? 0 : abs >= 100 ? 1 : abs >= 1 ? 2 : 3;
      return plus + grouped(value, digits, locale);
    }
  }
}

const EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `2024-03-15` as `2024年3月15日` / `Mar 15, 2024`; months as `2024年3月` / `Mar 2024`. */
export function formatDate(value: string, unit: "date" | "month" | "timestamp", locale: Locale): string {
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[ T](\d{2}):(\d{2}))?/.exec(value);
  if (!match) return value;
  const [, year, month, day, hour, minute] = match;
  const m = Number(month);
  if (unit === "month" || day === undefined)
    return locale === "zh" ? `${year}年${m}月` : `${EN_MONTHS[m - 1]} ${year}`;
  const d = Number(day);
  const date = locale === "zh" ? `${year}年${m}月${d}日` : `${EN_MONTHS[m - 1]} ${d}, ${year}`;
  if (unit === "timestamp" && hour !== undefined) return `${date} ${hour}:${minute}`;
  return date;
}

/** A short month for chart axes: `24年3月` / `Mar 24`. */
export function formatMonthShort(value: string | Date, locale: Locale): string {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : value;
  const match = /^(\d{4})-(\d{2})/.exec(text);
  if (!match) return text;
  const [, year, month] = match;
  const m = Number(month);
  return locale === "zh" ? `${year!.slice(2)}年${m}月` : `${EN_MONTHS[m - 1]} ${year!.slice(2)}`;
}
