/**
 * The one domain error type. Domain code throws it with a stable `code`;
 * only the HTTP edge (lib/server/http) maps codes to status codes.
 */
export type DomainErrorCode =
  | "invalid_input" // 400/422: the request is malformed or violates a rule
  | "unauthenticated" // 401
  | "forbidden" // 403
  | "not_found" // 404
  | "conflict" // 409: state or version does not allow the command
  | "precondition_failed" // 412: expectedVersion mismatch
  | "payload_too_large" // 413
  | "rate_limited" // 429
  | "unavailable"; // 503: a dependency (database) is down

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** Machine-readable details, e.g. field errors or the numbers behind a refusal. */
  readonly details?: Record<string, unknown>;

  constructor(code: DomainErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.details = details;
  }
}

/**
 * Duck-typed on purpose: the custom server and Next's bundles load separate copies of this
 * module, so `instanceof` would miss errors thrown by the other copy.
 */
export const isDomainError = (e: unknown): e is DomainError => e instanceof Error && e.name === "DomainError" && typeof (e as DomainError).code === "string";
