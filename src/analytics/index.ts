/**
 * Predictive CLV statistics, pure (no I/O, no SQL): what the build step calls to fill the
 * clv_model, customer_value and clv_backtest marts of metrics.md.
 *
 *   const bg = fitBgNbd({ frequency, recency, T });                 // all buyers, days or weeks
 *   const gg = fitGammaGamma({ frequency, monetaryValue });         // skips x = 0 or spend <= 0
 *   if (bg.converged && gg.converged) predictCustomer(bg.params!, gg.params!, buyer, options);
 */
export { BGNBD_PARAMS, type BgNbdFit, bgnbdLogLikelihood, fitBgNbd } from "./bgnbd.ts";
export {
  type BgNbdParams,
  conditionalExpectedPurchases,
  conditionalExpectedPurchasesOf,
  deadLogOdds,
  expectedPurchases,
  pAlive,
  type Rft,
} from "./bgnbdPredict.ts";
export {
  type CustomerInput,
  type CustomerPrediction,
  discountedClv,
  isGammaGammaEligible,
  type PredictOptions,
  type PurchaseOutlook,
  predictCustomer,
  purchaseOutlook,
} from "./clv.ts";
export { type FitOptions, type FitResult, GRADIENT_TOLERANCE, LOG_PARAMETER_BOUND } from "./fitResult.ts";
export {
  expectedAverageSpend,
  fitGammaGamma,
  GAMMA_GAMMA_PARAMS,
  type GammaGammaFit,
  type GammaGammaParams,
  gammaGammaLogLikelihood,
  populationAverageSpend,
  type SpendColumns,
} from "./gammaGamma.ts";
export { seededRandom, simulateCustomers } from "./simulate.ts";
export { type CustomerColumns, compressTriples, type Triples } from "./triples.ts";
