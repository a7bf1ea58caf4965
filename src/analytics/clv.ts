/**
 * Per-customer predictions of metrics.md's customer_value mart from fitted BG/NBD and
 * Gamma-Gamma parameters: P(alive), expected purchases over 90 and 365 days, expected average
 * revenue, predicted revenue and the discounted 365-day CLV (margin, not revenue).
 */

import { aliveExpectedPurchases } from "./aliveExpectedPurchases.ts";
import { type BgNbdParams, checkRft, deadLogOdds, type Rft } from "./bgnbdPredict.ts";
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

/** What BG/NBD says of one (frequency, recency, T) triple; shared by all buyers with it. */
export interface PurchaseOutlook {
  pAlive: number;
  expectedPurchases90d: number;
  expectedPurchases365d: number;
  /** Σ_{i=1..12} (E[Y(t_i)] − E[Y(t_{i−1})]) / (1 + d)^(i/12), t_i = i × 365/12 days. */
  discountedPurchases365d: number;
}

/**
 * The BG/NBD part of customer_value for one triple. It depends on nothing else, so callers
 * with millions of buyers compute it once per distinct triple; the CLV is then
 * discountedPurchases365d × expected spend × margin rate.
 */
export function purchaseOutlook(bg: BgNbdParams, customer: Rft, options: PredictOptions): PurchaseOutlook {
  checkRft(customer);
  const alive = logistic(-deadLogOdds(bg, customer));
  const within = (days: number) =>
    alive === 0
      ? 0
      : alive * aliveExpectedPurchases(bg, customer.frequency, customer.T, days / options.daysPerUnit);
  let previous = 0;
  let discounted = 0;
  for (let i = 1; i <= SLICES; i++) {
    const cumulative = within((i * YEAR_DAYS) / SLICES);
    discounted += (cumulative - previous) / (1 + options.annualDiscountRate) ** (i / SLICES);
    previous = cumulative;
  }
  // The twelfth slice ends at exactly 365 days (12 × 365 / 12 is exact in floating point).
  return {
    pAlive: alive,
    expectedPurchases90d: within(90),
    expectedPurchases365d: previous,
    discountedPurchases365d: discounted,
  };
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
  return purchaseOutlook(bg, customer, options).discountedPurchases365d * averageSpend * marginRate;
}

/** Every predictive column of customer_value for one buyer. */
export function predictCustomer(
  bg: BgNbdParams,
  gg: GammaGammaParams | null,
  customer: CustomerInput,
  options: PredictOptions,
): CustomerPrediction {
  const outlook = purchaseOutlook(bg, customer, options);
  const ggExcluded = !isGammaGammaEligible(customer.frequency, customer.monetaryValue);
  let expectedAvgRevenue: number | null = null;
  if (gg !== null) {
    expectedAvgRevenue = ggExcluded
      ? populationAverageSpend(gg)
      : expectedAverageSpend(gg, customer.frequency, customer.monetaryValue);
  }
  return {
    pAlive: outlook.pAlive,
    churnProbability: customer.frequency === 0 ? null : 1 - outlook.pAlive,
    expectedPurchases90d: outlook.expectedPurchases90d,
    expectedPurchases365d: outlook.expectedPurchases365d,
    expectedAvgRevenue,
    ggExcluded,
    predictedRevenue365d:
      expectedAvgRevenue === null ? null : outlook.expectedPurchases365d * expectedAvgRevenue,
    predictedClv365d:
      expectedAvgRevenue === null
        ? null
        : outlook.discountedPurchases365d * expectedAvgRevenue * customer.marginRate,
  };
}
