"use client";
/**
 * The gates of one rollout (GET /api/v1/rollouts/{id}/gates): definitions, latest verdicts,
 * result history and the last automatic action. Refreshed every 3 s like the rollout detail, so
 * an automatic rollback shows up on its own.
 */
import { useQuery } from "@tanstack/react-query";
import type { GateHistory as ServerGateHistory } from "@/lib/server/services/gates/gate-history";
import { api } from "../api";
import type { Serialized } from "./rollouts";

export type GateHistory = Serialized<ServerGateHistory>;
export type GateResultPoint = GateHistory["history"][number];
export type CurrentGate = GateHistory["current"][number];

export const gateKeys = {
  history: (rolloutId: string) => ["rollouts", "gates", rolloutId] as const,
};

export const GATES_REFRESH_MS = 3_000;

export function useGateHistory(rolloutId: string) {
  return useQuery({
    queryKey: gateKeys.history(rolloutId),
    queryFn: ({ signal }) => api.get<GateHistory>(`/api/v1/rollouts/${encodeURIComponent(rolloutId)}/gates`, undefined, signal),
    refetchInterval: GATES_REFRESH_MS,
  });
}

/** Where to download a rollout's export files. */
export function rolloutExportUrl(rolloutId: string, file: "alert-rules.yaml" | "grafana-dashboard.json" | "playbook.md" | "postmortem.md"): string {
  return `/api/v1/rollouts/${encodeURIComponent(rolloutId)}/exports/${file}`;
}
