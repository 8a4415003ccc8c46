/**
 * One HTTP attempt of one delivery: POST the JSON body, signed, with a 5 s timeout. Never
 * throws: the outcome (status code or error text) is returned for the worker to record.
 */
import {
  DELIVERY_HEADER,
  DELIVERY_TIMEOUT_MS,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  signWebhookBody,
} from "../../domain/webhooks";

export interface DeliveryRequest {
  deliveryId: string;
  event: string;
  url: string;
  secret: string;
  payload: unknown;
}

export interface AttemptResult {
  /** HTTP status, or null when no answer came (timeout, refused, DNS…). */
  statusCode: number | null;
  /** Short reason for a failure; null on a 2xx. */
  error: string | null;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export async function sendDelivery(
  request: DeliveryRequest,
  opts: { fetch?: FetchLike; timeoutMs?: number } = {},
): Promise<AttemptResult> {
  const body = JSON.stringify(request.payload);
  const doFetch = opts.fetch ?? ((url, init) => fetch(url, init));
  try {
    const response = await doFetch(request.url, {
      method: "POST",
      body,
      redirect: "manual", // a redirect is an answer to fix at the receiver, not to follow blindly
      signal: AbortSignal.timeout(opts.timeoutMs ?? DELIVERY_TIMEOUT_MS),
      headers: {
        "content-type": "application/json",
        "user-agent": "Rollgate-Webhooks/1",
        [EVENT_HEADER]: request.event,
        [DELIVERY_HEADER]: request.deliveryId,
        [SIGNATURE_HEADER]: signWebhookBody(request.secret, body),
      },
    });
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { statusCode: response.status, error: ok ? null : `HTTP ${response.status}` };
  } catch (error) {
    return { statusCode: null, error: describeFailure(error, opts.timeoutMs ?? DELIVERY_TIMEOUT_MS) };
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError") return `no answer within ${timeoutMs / 1000} s`;
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message;
    return (detail ? `${error.message}: ${detail}` : error.message).slice(0, 500);
  }
  return String(error).slice(0, 500);
}
