/**
 * What every chart function shares: the palette (readable on light and dark backgrounds, and
 * distinct for the common forms of colour blindness), dates from the warehouse's strings, and
 * axis tick formats from the column's unit.
 */
import { formatMonthShort, formatValue } from "../format.ts";
import type { Locale } from "../types.ts";
import type { Unit } from "../units.ts";

/** Categorical colours (Okabe–Ito order, darkened where a light background needs it). */
export const PALETTE = [
  "#2563eb",
  "#e67e22",
  "#0f9d74",
  "#c2418b",
  "#7c5cc4",
  "#0891b2",
  "#b45309",
  "#64748b",
];

/** Sequential scheme for heatmaps (light to dark blue). */
export const SEQUENTIAL = "blues";

export interface ChartOptions {
  width: number;
  locale: Locale;
}

/** A warehouse date (`YYYY-MM-DD...`) as a UTC Date; other values pass through. */
export function toDate(value: unknown): Date | unknown {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value))
    return new Date(`${value.slice(0, 10)}T00:00:00Z`);
  return value;
}

/** Whether a unit is drawn on a time axis. */
export function isTemporal(unit: Unit): boolean {
  return unit === "month" || unit === "date" || unit === "timestamp";
}

/** Tick format of an axis of `unit` (compact numbers, short months). */
export function tickFormat(unit: Unit, locale: Locale): (value: unknown) => string {
  if (isTemporal(unit)) {
    return (value) => {
      const date = typeof value === "string" ? toDate(value) : value;
      if (!(date instanceof Date)) return String(value);
      const iso = date.toISOString().slice(0, 10);
      return unit === "month"
        ? formatMonthShort(iso, locale)
        : formatValue(iso, "date", locale).replace(/^\d{4}年/, "");
    };
  }
  if (unit === "text") return (value) => String(value);
  // Counts have no fractional ticks: a scale of 0..2 labels 0, 1, 2 only.
  if (unit === "count")
    return (value) =>
      Number.isInteger(value) ? formatValue(value as number, unit, locale, { compact: true }) : "";
  if (unit === "pp") return (value) => formatValue(value as number, "percent", locale, { compact: true });
  // Round ticks read as ¥0, ¥500, not ¥0.00
  if (unit === "currency")
    return (value) =>
      formatValue(value as number, unit, locale, { compact: true }).replace(/\.00(?=$|[万亿KMB])/, "");
  // Plain numbers: ticks 0.5, 1, 1.5 read alike, not 0.500, 1, 1.50.
  if (unit === "number")
    return (value) =>
      formatValue(value as number, unit, locale, { compact: true })
        .replace(/^(-?[\d,]*\.\d*?)0+$/, "$1")
        .replace(/\.$/, "");
  return (value) => formatValue(value as number, unit, locale, { compact: true });
}

/** Formats one value for a tooltip or a description. */
export function valueText(value: unknown, unit: Unit, locale: Locale): string {
  if (value instanceof Date)
    return formatValue(value.toISOString().slice(0, 10), unit === "text" ? "date" : unit, locale);
  return formatValue(value as string | number | null, unit, locale, { compact: true });
}
