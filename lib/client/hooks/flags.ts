"use client";
/**
 * React-query hooks of the flag screens. The list refreshes every 10 s and a flag's detail every
 * 5 s, so a kill switch engaged by a colleague (or by an SLO policy) shows up without a reload.
 * Saving sends the version the screen showed (`expectedVersion`): a stale screen is refused.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, apiRequest, isApiError } from "../api";
import { queryKeys } from "../query-keys";
import type { FlagContextValue, FlagDocument, FlagPatchBody, FlagTestResult, FlagView } from "../types";

export const FLAG_LIST_REFRESH_MS = 10_000;
export const FLAG_DETAIL_REFRESH_MS = 5_000;

const flagPath = (key: string) => `/api/v1/flags/${encodeURIComponent(key)}`;

export function useFlags(env: string, filters: { includeArchived: boolean; q: string }) {
  return useQuery({
    queryKey: queryKeys.flags.list(env, filters),
    queryFn: ({ signal }) => api.get<{ flags: FlagView[] }>("/api/v1/flags", { environment: env, includeArchived: filters.includeArchived || undefined, q: filters.q.trim() || undefined }, signal),
    select: (data) => data.flags,
    placeholderData: (previous) => previous,
    refetchInterval: FLAG_LIST_REFRESH_MS,
  });
}

export function useFlag(env: string, key: string) {
  return useQuery({
    queryKey: queryKeys.flags.detail(env, key),
    queryFn: ({ signal }) => api.get<{ flag: FlagView }>(flagPath(key), { environment: env }, signal),
    select: (data) => data.flag,
    refetchInterval: FLAG_DETAIL_REFRESH_MS,
    // A 404 will not fix itself by asking again.
    retry: (count, error) => count < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
  });
}

/**
 * After a flag changes: put the answer in the detail cache, refresh the lists (the flag list
 * and the rollout wizard's flag options) and the audit views.
 */
function useFlagChanged(env: string) {
  const client = useQueryClient();
  return (answer: { flag: FlagView }) => {
    client.setQueryData(queryKeys.flags.detail(env, answer.flag.key), answer);
    return Promise.all([
      client.invalidateQueries({ queryKey: ["flags", "list"] }),
      client.invalidateQueries({ queryKey: ["rollouts", "flag-options"] }),
      client.invalidateQueries({ queryKey: queryKeys.audit.all() }),
    ]);
  };
}

export function useCreateFlag(env: string) {
  const changed = useFlagChanged(env);
  return useMutation({
    mutationFn: (doc: FlagDocument) => apiRequest<{ flag: FlagView }>("/api/v1/flags", { method: "POST", query: { environment: env }, body: doc }),
    onSuccess: changed,
  });
}

export function useUpdateFlag(env: string, key: string) {
  const changed = useFlagChanged(env);
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: FlagPatchBody) => apiRequest<{ flag: FlagView }>(flagPath(key), { method: "PATCH", query: { environment: env }, body: patch }),
    onSuccess: changed,
    // A refusal may mean the screen is stale: fetch the latest so a reload shows it.
    onError: () => client.invalidateQueries({ queryKey: queryKeys.flags.detail(env, key) }),
  });
}

export function useArchiveFlag(env: string, key: string) {
  const changed = useFlagChanged(env);
  return useMutation({
    mutationFn: () => apiRequest<{ flag: FlagView }>(flagPath(key), { method: "DELETE", query: { environment: env } }),
    onSuccess: changed,
  });
}

export function useKillSwitch(env: string, key: string) {
  const changed = useFlagChanged(env);
  return useMutation({
    mutationFn: (body: { enabled: boolean; reason?: string }) => apiRequest<{ flag: FlagView }>(`${flagPath(key)}/kill-switch`, { method: "POST", query: { environment: env }, body }),
    onSuccess: changed,
  });
}

/** The tester: what the evaluation API would serve this context now. Nothing is counted. */
export function useTestFlag(env: string, key: string) {
  return useMutation({
    mutationFn: (context: Record<string, FlagContextValue>) => apiRequest<FlagTestResult>(`${flagPath(key)}/evaluate`, { method: "POST", query: { environment: env }, body: { context } }),
  });
}
