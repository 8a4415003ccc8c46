import type { Permission } from "@/lib/domain/auth/permissions";

/** Plain-language meaning of each permission, for "Your access" and the 403 panel's context. */
export const PERMISSION_LABELS: Record<Permission, string> = {
  "dashboard.read": "See flags, rollouts, SLOs and metrics",
  "audit.read": "Read, export and verify the audit trail",
  "flag.write": "Create and edit flags",
  "flag.kill_switch": "Use the kill switch",
  "rollout.write": "Start, promote, pause and roll back rollouts",
  "rollout.approve": "Approve or reject promotion gates",
  "rollout.skip_analysis": "Promote past failing gates in an emergency",
  "slo.write": "Define SLOs and breach policies",
  "user.manage": "Manage users and roles",
  "api_key.manage": "Create and revoke API keys",
  "webhook.manage": "Configure webhooks",
  "price.manage": "Edit the model price table",
  "settings.manage": "Change settings",
  "flag.evaluate": "Evaluate flags (API keys)",
  "event.ingest": "Send outcome events (API keys)",
};
