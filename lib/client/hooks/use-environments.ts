"use client";
import { useQuery } from "@tanstack/react-query";
import { api } from "../api";
import { queryKeys } from "../query-keys";
import type { Environment } from "../types";

/** The environments (production, staging, …); they change rarely, so the list is kept 5 minutes. */
export function useEnvironments() {
  return useQuery({
    queryKey: queryKeys.environments(),
    queryFn: ({ signal }) => api.get<{ environments: Environment[] }>("/api/v1/environments", undefined, signal),
    select: (data) => data.environments,
    staleTime: 5 * 60_000,
  });
}
