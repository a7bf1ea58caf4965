/**
 * Per-customer predictions of metrics.md's customer_value mart from fitted BG/NBD and
 * Gamma-Gamma parameters: P(alive), expected purchases over 90 and 365 days, expected average
 * revenue, predicted revenue and the discounted 365-day CLV (margin, not revenue).
 */

import { aliveExpectedPurchases } from "./aliveExpectedPurchases.ts";
import {
  type BgNbdParams,
  checkRft,
  conditionalExpectedPurchases,
  deadLogOdds,
  type Rft,
} from "./bgnbdPredict.ts";
import { expectedAverageSpend, type GammaGammaParams, populationAverageSpend } from "./gammaGamma.ts";
import { logistic } from "./special.ts";

/** How the customer's times are measured and how the future is discounted. */
export interface PredictOptions {
  /** 1 when frequency/recency/T and the BG/NBD alpha are in days, 7 for weeks. */
  daysPerUnit: number;
  /** `annual_discount_rate` (0.10 by default in metrics.md). */
  annualDiscountRate: number;
}

export interface CustomerInput extends Rft {
  /** Mean net revenue of the repeat purchase days (0 when frequency = 0). */
  monetaryValue: number;
  /** Historical margin / revenue clamped to [0, 1], or default_margin_rate (the caller's rule). */
  marginRate: number;
}

export interface CustomerPrediction {
  pAlive: number;
  /** 1 − pAlive; null for frequency 0, where BG/NBD's pAlive is 1 by construction. */
  churnProbability: number | null;
  expectedPurchases90d: number;
  expectedPurchases365d: number;
  /** Gamma-Gamma posterior mean spend, or the population mean for excluded buyers (null if none). */
  expectedAvgRevenue: number | null;
  /** True when the buyer is outside Gamma-Gamma's fit (frequency 0 or monetary value ≤ 0). */
  ggExcluded: boolean;
  predictedRevenue365d: number | null;
  predictedClv365d: number | null;
}

const SLICES = 12;
const YEAR_DAYS = 365;

/** Whether a buyer enters the Gamma-Gamma fit: frequency > 0 and monetary value > 0. */
export function isGammaGammaEligible(frequency: number, monetaryValue: number): boolean {
  return frequency > 0 && monetaryValue > 0;
}

/**
 * Σ_{i=1..12} (E[Y(t_i)] − E[Y(t_{i−1})]) × spend × margin / (1 + d)^(i/12), t_i = i × 365/12
 * days: expected purchases per month of the next year, valued at margin and discounted.
 */
export function discountedClv(
  bg: BgNbdParams,
  customer: Rft,
  averageSpend: number,
  marginRate: number,
  options: PredictOptions,
): number {
  checkRft(customer);
  const alive = logistic(-deadLogOdds(bg, customer));
  if (alive === 0) return 0;
  let previous = 0;
  let total = 0;
  for (let i = 1; i <= SLICES; i++) {
    const t = (i * YEAR_DAYS) / SLICES / options.daysPerUnit;
    const cumulative = alive * aliveExpectedPurchases(bg, customer.frequency, customer.T, t);
    total +=
      ((cumulative - previous) * averageSpend * marginRate) /
      (1 + options.annualDiscountRate) ** (i / SLICES);
    previous = cumulative;
  }
  return total;
}

/** Every predictive column of customer_value for one buyer. */
export function predictCustomer(
  bg: BgNbdParams,
  gg: GammaGammaParams | null,
  customer: CustomerInput,
  options: PredictOptions,
): CustomerPrediction {
  const alive = logistic(-deadLogOdds(bg, customer));
  const ggExcluded = !isGammaGammaEligible(customer.frequency, customer.monetaryValue);
  const expectedPurchases365d = conditionalExpectedPurchases(bg, customer, YEAR_DAYS / options.daysPerUnit);
  let expectedAvgRevenue: number | null = null;
  if (gg !== null) {
    expectedAvgRevenue = ggExcluded
      ? populationAverageSpend(gg)
      : expectedAverageSpend(gg, customer.frequency, customer.monetaryValue);
  }
  return {
    pAlive: alive,
    churnProbability: customer.frequency === 0 ? null : 1 - alive,
    expectedPurchases90d: conditionalExpectedPurchases(bg, customer, 90 / options.daysPerUnit),
    expectedPurchases365d,
    expectedAvgRevenue,
    ggExcluded,
    predictedRevenue365d: expectedAvgRevenue === null ? null : expectedPurchases365d * expectedAvgRevenue,
    predictedClv365d:
      expectedAvgRevenue === null
        ? null
        : discountedClv(bg, customer, expectedAvgRevenue, customer.marginRate, options),
  };
}
