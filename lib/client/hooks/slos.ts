"use client";
/**
 * React-query hooks of the SLOs screen. The list refreshes every 10 s (budgets move slowly; the
 * evaluator recomputes alerts every tick), one SLO's chart every 15 s.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { SloBodyInput } from "@/lib/schemas/slo";
import type { PromotionFreezeStatus } from "@/lib/server/services/promotion-freeze";
import type { SloDetail as ServerSloDetail, SloView } from "@/lib/server/services/slos/slos";
import { api, apiRequest } from "../api";
import type { Serialized } from "./rollouts";

export type Slo = Serialized<SloView>;
export type SloDetail = Serialized<ServerSloDetail>;

export const sloKeys = {
  all: () => ["slos"] as const,
  list: (env: string) => ["slos", "list", env] as const,
  detail: (id: string) => ["slos", "detail", id] as const,
  freeze: (env: string, flagKey: string) => ["slos", "freeze", env, flagKey] as const,
};

export function useSlos(env: string) {
  return useQuery({
    queryKey: sloKeys.list(env),
    queryFn: ({ signal }) => api.get<{ slos: Slo[] }>("/api/v1/slos", { environment: env }, signal),
    select: (data) => data.slos,
    refetchInterval: 10_000,
  });
}

export function useSlo(id: string | null) {
  return useQuery({
    queryKey: sloKeys.detail(id ?? ""),
    queryFn: ({ signal }) => api.get<SloDetail>(`/api/v1/slos/${encodeURIComponent(id ?? "")}`, undefined, signal),
    enabled: id !== null,
    refetchInterval: 15_000,
  });
}

/** Whether the flag's SLOs freeze promotions now (shown next to the promote button). */
export function usePromotionFreeze(env: string, flagKey: string | undefined) {
  return useQuery({
    queryKey: sloKeys.freeze(env, flagKey ?? ""),
    queryFn: ({ signal }) => api.get<PromotionFreezeStatus>("/api/v1/slos/freeze", { environment: env, flagKey }, signal),
    enabled: Boolean(flagKey),
    refetchInterval: 10_000,
  });
}

function useInvalidateSlos() {
  const client = useQueryClient();
  return () => Promise.all([client.invalidateQueries({ queryKey: sloKeys.all() }), client.invalidateQueries({ queryKey: ["audit"] })]);
}

export function useCreateSlo() {
  const invalidate = useInvalidateSlos();
  return useMutation({ mutationFn: (body: SloBodyInput) => api.post<SloDetail>("/api/v1/slos", body), onSuccess: invalidate });
}

export function useUpdateSlo(id: string) {
  const invalidate = useInvalidateSlos();
  return useMutation({
    mutationFn: (body: SloBodyInput) => apiRequest<SloDetail>(`/api/v1/slos/${encodeURIComponent(id)}`, { method: "PUT", body }),
    onSuccess: invalidate,
  });
}

export function useDeleteSlo() {
  const invalidate = useInvalidateSlos();
  return useMutation({
    mutationFn: (id: string) => apiRequest<null>(`/api/v1/slos/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: invalidate,
  });
}
