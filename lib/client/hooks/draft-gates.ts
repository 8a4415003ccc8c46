"use client";
/** Saving one stage's gates of a draft rollout (PUT /api/v1/rollouts/{id}/stages/{n}/gates). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { GateSpec } from "@/lib/domain/gates";
import { apiRequest } from "../api";
import { rolloutKeys, type RolloutDetail } from "./rollouts";

export function useUpdateDraftGates(rolloutId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ stage, gates, expectedVersion }: { stage: number; gates: GateSpec[]; expectedVersion: number }) =>
      apiRequest<RolloutDetail>(`/api/v1/rollouts/${encodeURIComponent(rolloutId)}/stages/${stage}/gates`, { method: "PUT", body: { gates, expectedVersion } }),
    onSuccess: (detail) => {
      client.setQueryData(rolloutKeys.detail(rolloutId), detail);
      return client.invalidateQueries({ queryKey: ["audit"] });
    },
  });
}
