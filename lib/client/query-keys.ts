/**
 * Every react-query key the dashboard uses, in one place, so a mutation can invalidate exactly
 * the lists it changed. Keys are hierarchical: invalidating `audit.all()` refreshes every audit view.
 */
import type { AuditFilters } from "./types";

export const queryKeys = {
  me: () => ["me"] as const,
  environments: () => ["environments"] as const,
  users: {
    all: () => ["users"] as const,
    list: () => ["users", "list"] as const,
  },
  apiKeys: {
    all: () => ["apiKeys"] as const,
    list: (environment: string) => ["apiKeys", "list", environment] as const,
  },
  audit: {
    all: () => ["audit"] as const,
    list: (filters: AuditFilters) => ["audit", "list", filters] as const,
    recent: (limit: number) => ["audit", "recent", limit] as const,
  },
  flags: {
    all: () => ["flags"] as const,
    list: (env: string, filters: { includeArchived: boolean; q: string }) => ["flags", "list", env, filters] as const,
    detail: (env: string, key: string) => ["flags", "detail", env, key] as const,
  },
};
