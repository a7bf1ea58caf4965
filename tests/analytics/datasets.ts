/**
 * Readers for the shared research datasets (../shared/datasets), turning event logs into BTYD
 * summaries with the literature's conventions: purchases on one calendar day merged,
 * frequency = distinct purchase days - 1, recency = last - first purchase day, T = end - first
 * purchase day, in days (divide by 7 for weeks); monetary value = mean spend of the repeat days.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** shared/ sits beside the checkout, on developer machines and in CI alike. */
export const DATASETS = fileURLToPath(new URL("../../../shared/datasets", import.meta.url));

export interface Summary {
  ids: string[];
  frequency: number[];
  /** Days. */
  recency: number[];
  /** Days. */
  T: number[];
  monetaryValue: number[];
}

/** Days since 1970-01-01 of a `YYYYMMDD` or `YYYY-MM-DD` date. */
export function dayNumber(text: string): number {
  const digits = text.replaceAll("-", "");
  return (
    Date.UTC(Number(digits.slice(0, 4)), Number(digits.slice(4, 6)) - 1, Number(digits.slice(6, 8))) /
    86_400_000
  );
}

/** Summarises (customer, day, spend) events up to and including `end` (a day number). */
export function summarise(events: { id: string; day: number; spend: number }[], end: number): Summary {
  const byCustomer = new Map<string, Map<number, number>>();
  for (const { id, day, spend } of events) {
    let days = byCustomer.get(id);
    if (days === undefined) {
      days = new Map();
      byCustomer.set(id, days);
    }
    if (day <= end) days.set(day, (days.get(day) ?? 0) + spend);
  }
  const out: Summary = { ids: [], frequency: [], recency: [], T: [], monetaryValue: [] };
  for (const [id, spendByDay] of byCustomer) {
    if (spendByDay.size === 0) continue;
    const days = [...spendByDay.keys()].sort((a, b) => a - b);
    const repeat = days.slice(1).map((day) => spendByDay.get(day)!);
    out.ids.push(id);
    out.frequency.push(days.length - 1);
    out.recency.push(days.at(-1)! - days[0]!);
    out.T.push(end - days[0]!);
    out.monetaryValue.push(repeat.length > 0 ? repeat.reduce((a, b) => a + b, 0) / repeat.length : 0);
  }
  return out;
}

function csvRows(path: string): string[][] {
  return readFileSync(path, "utf8")
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(","));
}

/** CDNOW's 2,357-customer sample (cdnowElog.csv: masterid, sampleid, date, cds, sales). */
export function cdnowEvents(): { id: string; day: number; spend: number }[] {
  return csvRows(`${DATASETS}/cdnow/cdnowElog.csv`).map(([, id, date, , sales]) => ({
    id: id!,
    day: dayNumber(date!),
    spend: Number(sales),
  }));
}

/** The grocery event log (groceryElog.csv: cust, date); no spend. */
export function groceryEvents(): { id: string; day: number; spend: number }[] {
  return csvRows(`${DATASETS}/grocery-btydplus/groceryElog.csv`).map(([id, date]) => ({
    id: id!,
    day: dayNumber(date!),
    spend: 0,
  }));
}

/** A CSV file's numeric columns by header name. */
export function numericColumns(path: string): Record<string, number[]> {
  const [header, ...lines] = readFileSync(path, "utf8").trim().split(/\r?\n/);
  const names = header!.split(",");
  const columns: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (const line of lines) {
    for (const [i, value] of line.split(",").entries()) columns[names[i]!]!.push(Number(value));
  }
  return columns;
}
