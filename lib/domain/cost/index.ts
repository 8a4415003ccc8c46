/** Public API of the cost domain: the model price table and rollout cost projections. */
export { DEFAULT_MODEL_PRICES, costOfCall, findPrice, type ModelPrice } from "./prices";
export { rolloutCostProjection, DEFAULT_PROJECTION_DAYS, type CostProjection, type CostProjectionInput, type CostStrategy } from "./projection";
