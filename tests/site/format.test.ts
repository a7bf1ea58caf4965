import { describe, expect, it } from "vitest";
import { compactNumber, formatDate, formatValue } from "../../src/site/format.ts";
import { resolveUnit, unitFromName } from "../../src/site/units.ts";

describe("formats", () => {
  it("groups large amounts in 亿 and 万 (zh)", () => {
    // 123,456,789 / 1e8 = 1.2346 → 1.23亿
    expect(compactNumber(123456789, "zh")).toBe("1.23亿");
    // 12,345,678 / 1e4 = 1234.57 → whole 万 above 1e7: 1235万
    expect(compactNumber(12345678, "zh")).toBe("1235万");
    // 1,234,567 / 1e4 = 123.46 → one decimal between 1e6 and 1e7: 123.5万
    expect(compactNumber(1234567, "zh")).toBe("123.5万");
    // 123,456 / 1e4 = 12.3456 → 12.35万
    expect(compactNumber(123456, "zh")).toBe("12.35万");
    // below 1e5: digits with separators
    expect(compactNumber(98765, "zh")).toBe("98,765");
    // 200,000,000 / 1e8 = 2.00 → trailing zeros dropped
    expect(compactNumber(200000000, "zh")).toBe("2亿");
  });

  it("uses K, M, B in English", () => {
    // 123,456,789 / 1e6 = 123.46 → three significant digits: 123M
    expect(compactNumber(123456789, "en")).toBe("123M");
    // 12,345 / 1e3 = 12.345 → 12.3K
    expect(compactNumber(12345, "en")).toBe("12.3K");
    // 2,500,000,000 / 1e9 = 2.5B
    expect(compactNumber(2.5e9, "en")).toBe("2.5B");
    expect(compactNumber(9999, "en")).toBe("9,999");
  });

  it("formats money in the shop currency: cents below ¥1,000, compact above ¥100,000", () => {
    expect(formatValue(123456789, "currency", "zh", { compact: true })).toBe("¥1.23亿");
    expect(formatValue(123456789, "currency", "zh")).toBe("¥123,456,789");
    expect(formatValue(386.4, "currency", "zh")).toBe("¥386.40");
    expect(formatValue(-1500, "currency", "en", { compact: true })).toBe("-¥1,500");
    expect(formatValue(123456789, "currency", "en", { compact: true })).toBe("¥123M");
  });

  it("formats rates as percents and differences of rates as points", () => {
    // 0.4523 → 45.23% → one decimal
    expect(formatValue(0.4523, "percent", "zh")).toBe("45.2%");
    expect(formatValue(0.25, "percent", "en", { signed: true })).toBe("+25.0%");
    // 0.23 - 0.25 = -0.02 → -2.0 points
    expect(formatValue(0.23 - 0.25, "pp", "zh")).toBe("-2.0个百分点");
    expect(formatValue(0.04, "pp", "en", { signed: true })).toBe("+4.0 pp");
  });

  it("formats counts, ratios, days and missing values", () => {
    expect(formatValue(1234.4, "count", "zh")).toBe("1,234");
    expect(formatValue(4.444, "ratio", "en")).toBe("4.44×");
    expect(formatValue(40, "days", "zh")).toBe("40天");
    expect(formatValue(45.5, "days", "en")).toBe("45.5 days");
    expect(formatValue(null, "currency", "zh")).toBe("—");
    expect(formatValue(true, "text", "en")).toBe("yes");
  });

  it("formats dates and months per locale", () => {
    expect(formatDate("2024-03-15", "date", "zh")).toBe("2024年3月15日");
    expect(formatDate("2024-03-15", "date", "en")).toBe("Mar 15, 2024");
    expect(formatDate("2024-03-01", "month", "zh")).toBe("2024年3月");
    expect(formatDate("2024-03-01", "month", "en")).toBe("Mar 2024");
    expect(formatDate("2024-06-16T02:05:00Z", "timestamp", "zh")).toBe("2024年6月16日 02:05");
  });
});

describe("units from the metric contract's names", () => {
  const cases: [string, string][] = [
    ["repurchase_rate", "percent"],
    ["revenue_share", "percent"],
    ["revenue_retention", "percent"],
    ["p_alive", "percent"],
    ["uplift_abs", "pp"],
    ["ci_low", "pp"],
    ["ltv_to_cac", "ratio"],
    ["revenue", "currency"],
    ["avg_revenue_per_member_buyer", "currency"],
    ["predicted_clv_365d_avg", "currency"],
    ["cac", "currency"],
    ["buyers", "count"],
    ["cohort_size", "count"],
    ["median_days_to_second_purchase", "days"],
    ["payback_months", "months"],
    ["cohort_month", "month"],
    ["month", "month"],
    ["first_purchase_at", "timestamp"],
    ["p_value", "number"],
  ];
  for (const [name, unit] of cases) it(`${name} → ${unit}`, () => expect(unitFromName(name)).toBe(unit));

  it("lets an explicit format and text values win", () => {
    expect(resolveUnit("rate", { explicit: "pct" })).toBe("percent");
    expect(resolveUnit("revenue", { declared: "count" })).toBe("count");
    expect(resolveUnit("segment", { sample: "at_risk" })).toBe("text");
    expect(resolveUnit("anything", { sample: "2024-01-01" })).toBe("date");
  });
});
