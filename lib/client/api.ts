/**
 * The dashboard's typed fetch client for /api/v1. Every non-2xx answer becomes an `ApiError`
 * carrying the server's problem+json body, so screens can show its detail, request id and
 * field errors. Network failures and non-JSON answers are turned into the same shape.
 */
import { humanFieldErrors, topLevel, type FieldRules } from "./field-errors";

export interface FieldProblem {
  path: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  details?: { errors?: FieldProblem[]; [key: string]: unknown };
}

export class ApiError extends Error {
  readonly problem: ProblemBody;

  constructor(problem: ProblemBody) {
    super(problem.detail || problem.title);
    this.name = "ApiError";
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string {
    return this.problem.code;
  }

  get requestId(): string {
    return this.problem.requestId;
  }

  /**
   * Field problems in the form's words (`rules`, see field-errors.ts), keyed by the top-level
   * field name ("roles.0" → "roles"); the first message per field wins. Empty when the problem
   * is not about fields.
   */
  fieldErrors(rules: FieldRules = {}): Record<string, string> {
    return topLevel(humanFieldErrors(this.problem.details?.errors, rules));
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export type QueryValue = string | number | boolean | null | undefined;

/** `?a=1&b=2` from the defined, non-empty values; "" when there are none. */
export function toQueryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : "";
}

interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

function isProblem(value: unknown): value is ProblemBody {
  return typeof value === "object" && value !== null && "status" in value && "title" in value;
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const url = `${path}${toQueryString(options.query ?? {})}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? "GET",
      headers: {
        accept: "application/json",
        ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      credentials: "same-origin",
      cache: "no-store",
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error)?.name === "AbortError") throw error;
    throw new ApiError({
      type: "about:blank",
      title: "Network error",
      status: 0,
      detail: "Could not reach Rollgate. Check your connection and try again.",
      code: "network_error",
      requestId: "",
    });
  }

  const text = await response.text();
  let payload: unknown = undefined;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
  }
  if (response.ok) return payload as T;

  const requestId = response.headers.get("x-request-id") ?? "";
  throw new ApiError(
    isProblem(payload)
      ? { ...payload, requestId: payload.requestId || requestId }
      : {
          type: "about:blank",
          title: response.statusText || "Request failed",
          status: response.status,
          detail: `The server answered HTTP ${response.status} without an explanation.`,
          code: "http_error",
          requestId,
        },
  );
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) => apiRequest<T>(path, { query, signal }),
  post: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: "POST", body }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: "PATCH", body }),
  delete: <T>(path: string) => apiRequest<T>(path, { method: "DELETE" }),
};
