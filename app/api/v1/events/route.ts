/**
 * POST /api/v1/events — outcome events from services (API key of scope `ingest`). The handler
 * lives in lib/server/services/metrics/events-endpoint.ts; the app's own server answers this path
 * through its fast route before Next, so this file serves when Next runs on its own.
 */
import { postEvents } from "@/lib/server/services/metrics/events-endpoint";

export const POST = postEvents;
