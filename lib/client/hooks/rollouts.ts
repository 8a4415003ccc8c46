"use client";
/**
 * React-query hooks of the rollout screens. Lists refresh every 5 s and a rollout's detail every
 * 3 s, so a promotion by a colleague (or the evaluator) shows up without a reload. Every command
 * sends the version the screen showed (`expectedVersion`): acting on a stale screen gives 412.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { RolloutCommandType, RolloutState, RolloutStrategy } from "@/lib/domain/rollouts";
import type { CreateRolloutRequest } from "@/lib/schemas/rollout-extras";
import type { RolloutDetail as ServerRolloutDetail } from "@/lib/server/services/rollouts/get-rollout";
import type { listRollouts } from "@/lib/server/services/rollouts/list-rollouts";
import { api, apiRequest } from "../api";

/** What JSON makes of a server value: dates become ISO strings. */
export type Serialized<T> = T extends Date ? string : T extends (infer U)[] ? Serialized<U>[] : T extends object ? { [K in keyof T]: Serialized<T[K]> } : T;

export type RolloutDetail = Serialized<ServerRolloutDetail>;
export type RolloutList = Serialized<Awaited<ReturnType<typeof listRollouts>>>;
export type RolloutListItem = RolloutList["rollouts"][number];

export interface RolloutFilters {
  state?: RolloutState[];
  strategy?: RolloutStrategy;
  flagKey?: string;
}

export const rolloutKeys = {
  all: () => ["rollouts"] as const,
  list: (env: string, filters: RolloutFilters) => ["rollouts", "list", env, filters] as const,
  detail: (id: string) => ["rollouts", "detail", id] as const,
  requiredApprovals: () => ["settings", "requiredApprovals"] as const,
  flags: (env: string) => ["rollouts", "flag-options", env] as const,
};

export const LIST_REFRESH_MS = 5_000;
export const DETAIL_REFRESH_MS = 3_000;

export function useRollouts(env: string, filters: RolloutFilters = {}) {
  return useQuery({
    queryKey: rolloutKeys.list(env, filters),
    queryFn: ({ signal }) => api.get<RolloutList>("/api/v1/rollouts", { environment: env, state: filters.state?.join(","), strategy: filters.strategy, flagKey: filters.flagKey }, signal),
    select: (data) => data.rollouts,
    refetchInterval: LIST_REFRESH_MS,
  });
}

export function useRollout(id: string) {
  return useQuery({
    queryKey: rolloutKeys.detail(id),
    queryFn: ({ signal }) => api.get<RolloutDetail>(`/api/v1/rollouts/${encodeURIComponent(id)}`, undefined, signal),
    refetchInterval: DETAIL_REFRESH_MS,
  });
}

export function useCreateRollout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<CreateRolloutRequest> & Pick<CreateRolloutRequest, "environment" | "flagKey" | "strategy" | "controlVariant" | "treatmentVariant">) =>
      api.post<RolloutDetail>("/api/v1/rollouts", body),
    onSuccess: (detail) => {
      client.setQueryData(rolloutKeys.detail(detail.id), detail);
      return client.invalidateQueries({ queryKey: rolloutKeys.all() });
    },
  });
}

export interface CommandInput {
  command: RolloutCommandType;
  comment?: string;
  expectedVersion?: number;
}

export type CommandAnswer = { summary: string; version: number; state: string; rollout: RolloutDetail };

export function useRolloutCommand(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ command, comment, expectedVersion }: CommandInput) =>
      api.post<CommandAnswer>(`/api/v1/rollouts/${encodeURIComponent(id)}/${command}`, {
        ...(comment?.trim() ? { comment: comment.trim() } : {}),
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
      }),
    onSuccess: (answer) => {
      client.setQueryData(rolloutKeys.detail(id), answer.rollout);
      return Promise.all([client.invalidateQueries({ queryKey: ["rollouts", "list"] }), client.invalidateQueries({ queryKey: ["audit"] })]);
    },
    // A refusal (409/412) means the screen is stale or the rollout moved: show the latest state.
    onError: () => client.invalidateQueries({ queryKey: rolloutKeys.detail(id) }),
  });
}

export function useRequiredApprovals() {
  return useQuery({
    queryKey: rolloutKeys.requiredApprovals(),
    queryFn: ({ signal }) => api.get<{ requiredApprovals: number }>("/api/v1/settings/approvals", undefined, signal),
    select: (data) => data.requiredApprovals,
  });
}

export function useSetRequiredApprovals() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (requiredApprovals: number) => apiRequest<{ requiredApprovals: number }>("/api/v1/settings/approvals", { method: "PUT", body: { requiredApprovals } }),
    onSuccess: () => client.invalidateQueries({ queryKey: rolloutKeys.requiredApprovals() }),
  });
}

/** What the wizard needs of a flag. */
export interface FlagOption {
  key: string;
  kind: string;
  description?: string;
  defaultVariant: string;
  fallbackVariant?: string;
  variants: { key: string; payload?: unknown; description?: string }[];
  archivedAt?: string | null;
  killSwitch?: boolean;
}

/** The environment's flags (GET /api/v1/flags), archived ones left out. */
export function useFlagOptions(env: string) {
  return useQuery({
    queryKey: rolloutKeys.flags(env),
    queryFn: ({ signal }) => api.get<{ flags: FlagOption[] } | FlagOption[]>("/api/v1/flags", { environment: env }, signal),
    select: (data) => (Array.isArray(data) ? data : data.flags).filter((f) => !f.archivedAt),
  });
}
