/**
 * @rollgate/sdk — evaluate Rollgate flags in a Node service's own process.
 *
 *   import { OpenFeature } from "@openfeature/server-sdk";
 *   import { RollgateProvider } from "@rollgate/sdk";
 *   const provider = new RollgateProvider({ baseUrl, apiKey });
 *   await OpenFeature.setProviderAndWait(provider);
 */
export { RollgateProvider } from "./provider";
export type { Assignment, Outcome, RollgateEvaluation, RollgateProviderOptions, ShadowOptions } from "./provider";
export { SnapshotSync, HttpError } from "./sync";
export type { HeldSnapshot, SnapshotDocument, SyncOptions, SyncStats } from "./sync";
export { Reporter } from "./reporter";
export type { OutcomeEventPayload, ReporterOptions, ReporterStats } from "./reporter";
export type { FlagSnapshot, EvaluationReason, RolloutArm } from "../../../lib/domain/flags/types";
