import type { ApiKeyScope } from "@/lib/domain/auth/permissions";
import type { BadgeTone } from "../ui/badge";

/** What each scope lets a service do, in the words the create dialog and the list use. */
export const SCOPE_INFO: Record<ApiKeyScope, { label: string; description: string; tone: BadgeTone }> = {
  evaluate: {
    label: "evaluate",
    description: "Ask which variant to serve: POST /api/v1/evaluate, OpenFeature OFREP and the change stream.",
    tone: "info",
  },
  ingest: {
    label: "ingest",
    description: "Report outcomes (latency, tokens, cost, success, feedback): POST /api/v1/events.",
    tone: "success",
  },
  manage: {
    label: "manage",
    description: "Config as code: create and edit flags, use the kill switch, run rollouts and edit SLOs in this environment.",
    tone: "warning",
  },
  admin: {
    label: "admin",
    description: "Config as code with an admin's reach: manage, plus this environment's webhooks and `rollgate apply --force` on flags under an active rollout.",
    tone: "danger",
  },
};
