/**
 * An outcome event as a service reports it, once its fields passed validation
 * (lib/schemas/events.ts holds the zod schema and checks at compile time that it agrees).
 * Optional fields may be absent or null.
 */
export interface OutcomeEvent {
  id: string;
  /** ISO 8601 with a time zone, or epoch milliseconds. */
  timestamp: string | number;
  flagKey: string;
  variant: string;
  rolloutId?: string | null;
  arm?: "control" | "treatment" | null;
  /** The stage that served the request (0-based), echoed from the evaluation answer. */
  stage?: number | null;
  subjectKey?: string | null;
  requestId?: string | null;
  pairId?: string | null;
  model?: string | null;
  latencyMs?: number | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  costUsd?: number | null;
  success: boolean;
  errorType?: string | null;
  feedback?: 1 | -1 | null;
  retried?: boolean | null;
  qualityScore?: number | null;
  attributes?: Record<string, unknown> | null;
}
