"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api";
import { queryKeys } from "../query-keys";
import type { CreateUserBody, UpdateUserBody, User } from "../types";

export function useUsers() {
  return useQuery({
    queryKey: queryKeys.users.list(),
    queryFn: ({ signal }) => api.get<{ users: User[] }>("/api/v1/users", undefined, signal),
    select: (data) => data.users,
  });
}

/** Account changes are audited, so the audit views are refreshed too. */
function useInvalidateAfterUserChange() {
  const client = useQueryClient();
  return () => Promise.all([client.invalidateQueries({ queryKey: queryKeys.users.all() }), client.invalidateQueries({ queryKey: queryKeys.audit.all() })]);
}

export function useCreateUser() {
  const invalidate = useInvalidateAfterUserChange();
  return useMutation({
    mutationFn: (body: CreateUserBody) => api.post<User>("/api/v1/users", body),
    onSuccess: invalidate,
  });
}

export function useUpdateUser() {
  const invalidate = useInvalidateAfterUserChange();
  return useMutation({
    mutationFn: ({ id, ...body }: UpdateUserBody & { id: string }) => api.patch<User>(`/api/v1/users/${encodeURIComponent(id)}`, body),
    onSuccess: invalidate,
  });
}
