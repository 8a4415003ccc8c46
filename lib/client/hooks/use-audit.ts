"use client";
import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { api, toQueryString } from "../api";
import { queryKeys } from "../query-keys";
import type { AuditFilters, AuditPage, AuditVerification } from "../types";

/** Records per "Load more" page. */
export const AUDIT_PAGE_SIZE = 50;

/** The audit trail, newest first, one cursor page at a time. */
export function useAuditLog(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: queryKeys.audit.list(filters),
    queryFn: ({ pageParam, signal }) => api.get<AuditPage>("/api/v1/audit", { ...filters, cursor: pageParam, limit: AUDIT_PAGE_SIZE }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The latest records for the overview; refreshed every 15 s while the page is open. */
export function useRecentAudit(limit = 10) {
  return useQuery({
    queryKey: queryKeys.audit.recent(limit),
    queryFn: ({ signal }) => api.get<AuditPage>("/api/v1/audit", { limit }, signal),
    select: (data) => data.records,
    refetchInterval: 15_000,
  });
}

/** Walks the whole hash chain on the server; run on demand because it reads every record. */
export function useVerifyAuditChain() {
  return useMutation({
    mutationFn: () => api.get<AuditVerification>("/api/v1/audit/verify"),
  });
}

/** Download link for the export endpoint with the same filters as the list. */
export function auditExportUrl(format: "csv" | "json", filters: AuditFilters): string {
  return `/api/v1/audit/export${toQueryString({ format, ...filters })}`;
}
