import "server-only";
import { singleton } from "../singleton";

/**
 * Parts of this process that are running degraded (part → why), e.g. the evaluation snapshot
 * serving stale data. /api/health reports them; the parts set and clear their own entry.
 */
export const healthSignals = () => singleton("healthSignals", () => new Map<string, string>());
