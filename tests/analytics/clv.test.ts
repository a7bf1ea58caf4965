import { describe, expect, it } from "vitest";
import { conditionalExpectedPurchases } from "../../src/analytics/bgnbdPredict.ts";
import {
  discountedClv,
  isGammaGammaEligible,
  predictCustomer,
  purchaseOutlook,
} from "../../src/analytics/clv.ts";

// Day-scale BG/NBD parameters; a buyer with x = 4, t_x = 200, T = 300 days. Expected values from
// mpmath at 120 digits (tests/analytics/reference/predict_reference.py): P(alive) = 0.653666942892824,
// E[Y(90)] = 0.7405072387044337 and, at t_i = i × 365/12 days,
// E[Y(t_i)] = 0.259734286889, 0.509485378662, 0.750234823716, 0.982814290389, 1.20793581373,
//             1.4262145979, 1.63818650449, 1.84432167026, 2.04503525491, 2.24069602669,
//             2.43163329593, 2.61814256967.
// CLV = Σ (E[Y(t_i)] - E[Y(t_{i-1})]) × 50 × 0.4 / 1.1^(i/12) = 49.888361419364074.
const bg = { r: 0.8, alpha: 60, a: 0.6, b: 2.4 };
const buyer = { frequency: 4, recency: 200, T: 300 };
const days = { daysPerUnit: 1, annualDiscountRate: 0.1 };

describe("discountedClv", () => {
  it("sums twelve discounted monthly slices of margin", () => {
    expect(discountedClv(bg, buyer, 50, 0.4, days)).toBeCloseTo(49.888361419364074, 8);
  });

  it("is the same in weeks", () => {
    const weeks = discountedClv(
      { ...bg, alpha: 60 / 7 },
      { frequency: 4, recency: 200 / 7, T: 300 / 7 },
      50,
      0.4,
      {
        daysPerUnit: 7,
        annualDiscountRate: 0.1,
      },
    );
    expect(Math.abs(weeks - 49.888361419364074)).toBeLessThan(1e-9);
  });

  it("without discounting is the year's expected purchases × spend × margin", () => {
    // 2.61814256967 × 50 × 0.4 = 52.3628513934
    expect(discountedClv(bg, buyer, 50, 0.4, { daysPerUnit: 1, annualDiscountRate: 0 })).toBeCloseTo(
      52.3628513934,
      8,
    );
  });
});

describe("purchaseOutlook", () => {
  it("holds the BG/NBD part of every buyer with the same triple", () => {
    const outlook = purchaseOutlook(bg, buyer, days);
    expect(outlook.pAlive).toBeCloseTo(0.653666942892824, 13);
    expect(outlook.expectedPurchases90d).toBeCloseTo(0.7405072387044337, 11);
    expect(outlook.expectedPurchases365d).toBe(conditionalExpectedPurchases(bg, buyer, 365));
    // CLV / (spend × margin) = 49.888361419364072 / 20 = 2.4944180709682036
    expect(outlook.discountedPurchases365d).toBeCloseTo(2.494418070968204, 9);
  });
});

describe("predictCustomer", () => {
  const gg = { p: 6, q: 4, v: 15 };

  it("fills every predictive column of customer_value", () => {
    const prediction = predictCustomer(bg, gg, { ...buyer, monetaryValue: 40, marginRate: 0.4 }, days);
    expect(prediction.pAlive).toBeCloseTo(0.653666942892824, 13);
    // churn_probability = 1 - 0.653666942892824
    expect(prediction.churnProbability).toBeCloseTo(0.34633305710717593, 13);
    expect(prediction.expectedPurchases90d).toBeCloseTo(0.7405072387044337, 11);
    expect(prediction.expectedPurchases365d).toBeCloseTo(2.61814256967, 10);
    // Gamma-Gamma: 6 (15 + 4·40) / (6·4 + 4 - 1) = 1050/27 = 38.8888...
    expect(prediction.ggExcluded).toBe(false);
    expect(prediction.expectedAvgRevenue).toBeCloseTo(1050 / 27, 12);
    // 2.61814256967 × 38.8888888889 = 101.816655487
    expect(prediction.predictedRevenue365d).toBeCloseTo(101.816655487, 7);
    // The CLV is linear in spend: 49.888361419364074 × (1050/27) / 50 = 38.8020588817...
    expect(prediction.predictedClv365d).toBeCloseTo((49.888361419364074 * 1050) / 27 / 50, 8);
  });

  it("one-time buyers: P(alive) 1, no churn probability, population mean spend", () => {
    const prediction = predictCustomer(
      bg,
      gg,
      { frequency: 0, recency: 0, T: 300, monetaryValue: 0, marginRate: 0.4 },
      days,
    );
    expect(prediction.pAlive).toBe(1);
    expect(prediction.churnProbability).toBeNull();
    expect(prediction.ggExcluded).toBe(true);
    // p v / (q - 1) = 6 × 15 / 3 = 30
    expect(prediction.expectedAvgRevenue).toBe(30);
  });

  it("repeat buyers with zero spend are excluded from Gamma-Gamma and get the population mean", () => {
    expect(isGammaGammaEligible(3, 0)).toBe(false);
    expect(isGammaGammaEligible(3, 0.01)).toBe(true);
    expect(isGammaGammaEligible(0, 25)).toBe(false);
    const prediction = predictCustomer(bg, gg, { ...buyer, monetaryValue: 0, marginRate: 0.4 }, days);
    expect(prediction.ggExcluded).toBe(true);
    expect(prediction.expectedAvgRevenue).toBe(30);
  });

  it("no spend prediction when the population mean does not exist (q <= 1) or Gamma-Gamma is absent", () => {
    const noMean = predictCustomer(
      bg,
      { p: 6, q: 0.9, v: 15 },
      { ...buyer, monetaryValue: 0, marginRate: 0.4 },
      days,
    );
    expect(noMean.expectedAvgRevenue).toBeNull();
    expect(noMean.predictedClv365d).toBeNull();
    const noFit = predictCustomer(bg, null, { ...buyer, monetaryValue: 40, marginRate: 0.4 }, days);
    expect(noFit.expectedAvgRevenue).toBeNull();
    expect(noFit.predictedRevenue365d).toBeNull();
    expect(noFit.expectedPurchases365d).toBeCloseTo(2.61814256967, 10);
  });
});
