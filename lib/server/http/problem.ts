/**
 * The one JSON error shape (RFC 9457 problem+json) and the mapping from domain error codes to
 * HTTP status codes. Unknown errors become a generic 500 that leaks nothing but a request id.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { isDomainError, type DomainErrorCode } from "../../domain/errors";
import { isDatabaseUnavailable, isUnstorableValue } from "./db-errors";

/** Seconds a client is told to wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 5;

export const STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: "Invalid request",
  401: "Authentication required",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  412: "Precondition failed",
  413: "Payload too large",
  415: "Unsupported media type",
  429: "Too many requests",
  500: "Internal error",
  503: "Service unavailable",
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  [extra: string]: unknown;
}

export function problemBody(status: number, code: string, detail: string, requestId: string, extra?: Record<string, unknown>): Problem {
  return { type: `https://rollgate.dev/problems/${code}`, title: TITLES[status] ?? "Error", status, detail, code, requestId, ...extra };
}

export function problemResponse(problem: Problem, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "content-type": "application/problem+json", "x-request-id": problem.requestId, ...retryHeaders(problem), ...headers },
  });
}

/** The answer for an /api path that no route file claims. */
export function unknownApiEndpoint(request: Request): Response {
  const requestId = request.headers.get("x-request-id")?.slice(0, 100) || randomUUID();
  return problemResponse(problemBody(404, "not_found", `No API endpoint at ${new URL(request.url).pathname}.`, requestId));
}

/** Every 503 says when to come back. */
export function retryHeaders(problem: Problem): Record<string, string> {
  return problem.status === 503 ? { "retry-after": String(RETRY_AFTER_SECONDS) } : {};
}

/**
 * Maps anything thrown to a problem; logs what is not a domain error. An unreachable database
 * is 503 `unavailable` (with Retry-After, see problemResponse), a value the database refused
 * is 400 `invalid_input`.
 */
export function problemFromError(error: unknown, requestId: string): Problem {
  if (isDomainError(error)) {
    const status = STATUS_BY_CODE[error.code] ?? 400;
    return problemBody(status, error.code, error.message, requestId, error.details ? { details: error.details } : undefined);
  }
  if (isDatabaseUnavailable(error)) {
    console.error(`[${requestId}] database unavailable:`, (error as Error).message?.split("\n").pop());
    return problemBody(503, "unavailable", "The database is unreachable; retry shortly.", requestId);
  }
  if (isUnstorableValue(error)) {
    console.error(`[${requestId}] value refused by the database`, error);
    return problemBody(400, "invalid_input", "A value in the request cannot be stored (out of range or invalid text).", requestId);
  }
  console.error(`[${requestId}] unhandled error`, error);
  return problemBody(500, "internal", "Something went wrong on our side. Quote the request id when reporting it.", requestId);
}
