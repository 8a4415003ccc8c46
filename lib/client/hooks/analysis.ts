"use client";
/**
 * The rollout analysis for the comparison screens, refreshed every 5 s so a running canary's
 * charts and verdicts move while the release manager watches.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { AnalysisQuery, AnalysisResponse } from "@/lib/schemas/analysis";
import { api } from "../api";

export const ANALYSIS_REFRESH_MS = 5_000;

export const analysisKeys = {
  all: () => ["analysis"] as const,
  rollout: (id: string, window: AnalysisQuery) => ["analysis", id, window] as const,
};

export function useRolloutAnalysis(rolloutId: string, window: AnalysisQuery = {}) {
  return useQuery({
    queryKey: analysisKeys.rollout(rolloutId, window),
    queryFn: ({ signal }) => api.get<AnalysisResponse>(`/api/v1/rollouts/${encodeURIComponent(rolloutId)}/analysis`, { from: window.from, to: window.to, stage: window.stage }, signal),
    refetchInterval: ANALYSIS_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
}
