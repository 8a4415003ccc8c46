/** What the per-rollout exports (alert rules, Grafana dashboard, playbook, post-mortem) read. */
import type { GateSpec } from "../spec";
import type { GateVerdict } from "../types";

export interface ExportStage {
  trafficBasisPoints: number;
  shadowSampleBasisPoints: number;
  minBakeSeconds: number;
  minSamplesPerArm: number;
  requiresApproval: boolean;
  gates: GateSpec[];
}

export interface ExportRollout {
  id: string;
  flagKey: string;
  environmentKey: string;
  strategy: "shadow" | "canary" | "ab_test" | "blue_green";
  state: string;
  description: string;
  controlVariant: string;
  treatmentVariant: string;
  currentStageIndex: number;
  stages: ExportStage[];
  autoAdvance: boolean;
  lastAutomaticAction: string | null;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
}

export interface ExportSlo {
  id: string;
  name: string;
  successRateTarget: number;
  windowDays: number;
}

/** One line of the rollout's history (audit trail entries about it). */
export interface ExportEvent {
  at: Date;
  actorType: "user" | "api_key" | "system";
  actorLabel: string;
  action: string;
  /** The sentence: transition summary, automatic reason, comment. */
  text: string;
}

export interface ExportGateResult {
  gateName: string;
  metric: string;
  stageIndex: number;
  verdict: GateVerdict;
  critical: boolean;
  value: number | null;
  controlValue: number | null;
  pValue: number | null;
  sentence: string;
  evaluatedAt: Date;
}

/** Totals per arm over the rollout's life, from the metric rollups. */
export interface ExportArmTotals {
  requests: number;
  successes: number;
  costUsd: number;
}

export interface ExportInput {
  rollout: ExportRollout;
  /** Base URL of this Rollgate, for links and curl examples. */
  baseUrl: string;
  slos?: ExportSlo[];
  events?: ExportEvent[];
  gateResults?: ExportGateResult[];
  arms?: { control: ExportArmTotals; treatment: ExportArmTotals };
  /** When the document is generated. */
  now: Date;
}
