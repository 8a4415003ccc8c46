import { ROLES, type Role } from "@/lib/domain/auth/permissions";

/** What each role adds, in the words an admin needs when choosing. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: "Sees everything; reads, exports and verifies the audit trail.",
  operator: "Creates flags, runs rollouts, edits SLOs, uses the kill switch.",
  reviewer: "Approves or rejects promotion gates, never their own request.",
  admin: "Everything, plus users, API keys, webhooks, prices and settings.",
};

/** Role names as the dashboard writes them; the identifiers themselves stay lowercase in the API. */
export const ROLE_LABELS: Record<Role, string> = { viewer: "Viewer", operator: "Operator", reviewer: "Reviewer", admin: "Admin" };

export const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r], description: ROLE_DESCRIPTIONS[r] }));
