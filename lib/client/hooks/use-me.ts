"use client";
import { useQuery } from "@tanstack/react-query";
import { api } from "../api";
import { queryKeys } from "../query-keys";
import type { Me } from "../types";

/** The signed-in user with roles and effective permissions (GET /api/v1/me). */
export function useMe() {
  return useQuery({
    queryKey: queryKeys.me(),
    queryFn: ({ signal }) => api.get<Me>("/api/v1/me", undefined, signal),
    staleTime: 60_000,
  });
}
