"use client";
/** React-query hooks of Settings → API keys: one environment's keys, create (key shown once), revoke. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CreateApiKeyInput } from "@/lib/schemas/api-keys";
import type { createApiKey, listApiKeys } from "@/lib/server/services/api-keys";
import { api, apiRequest } from "../api";
import { queryKeys } from "../query-keys";
import type { Serialized } from "./rollouts";

export type ApiKey = Serialized<Awaited<ReturnType<typeof listApiKeys>>[number]>;
/** The create answer: the key's view plus `key`, which is never shown again. */
export type CreatedApiKey = Serialized<Awaited<ReturnType<typeof createApiKey>>>;

export function useApiKeys(environment: string) {
  return useQuery({
    queryKey: queryKeys.apiKeys.list(environment),
    queryFn: ({ signal }) => api.get<{ apiKeys: ApiKey[] }>("/api/v1/api-keys", { environment }, signal),
    select: (data) => data.apiKeys,
    // "Last used" moves while the page is open.
    refetchInterval: 30_000,
  });
}

/** Key changes are audited, so the audit views are refreshed too. */
function useInvalidate() {
  const client = useQueryClient();
  return () => Promise.all([client.invalidateQueries({ queryKey: queryKeys.apiKeys.all() }), client.invalidateQueries({ queryKey: queryKeys.audit.all() })]);
}

export function useCreateApiKey() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: CreateApiKeyInput) => api.post<CreatedApiKey>("/api/v1/api-keys", body),
    onSuccess: invalidate,
  });
}

export function useRevokeApiKey() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => apiRequest<ApiKey>(`/api/v1/api-keys/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: invalidate,
  });
}
