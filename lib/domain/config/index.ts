export * from "./types";
export { planConfig, diffFields, changesServing, staleResources, FLAG_SERVING_FIELDS } from "./diff";
export { contentVersion } from "./versions";
export { maskUrl, isMaskedUrl, resolveUrl, MASK } from "./mask";
