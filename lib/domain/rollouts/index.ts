/** Public API of the rollout domain: plan templates and validation, and the state machine. */
export * from "./types";
export { applyRolloutCommand, allowedCommands, bakeRemainingSeconds, completionEffect, isActiveState, servedSplit } from "./state-machine";
export { strategyTemplate, DEFAULT_AB_TEST_SAMPLES_PER_ARM, type TemplateOptions } from "./templates";
export { validatePlan, stageLabel, describeStage, MIN_STAGES, MAX_STAGES, MAX_BAKE_SECONDS, MAX_SAMPLES_PER_ARM } from "./plan";
export { isCommandAllowed } from "./transitions";
export { formatBasisPoints, formatDuration } from "./format";
