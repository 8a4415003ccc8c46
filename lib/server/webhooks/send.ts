/**
 * One HTTP attempt of one delivery: POST the JSON body, signed, with a 5 s timeout. Never
 * throws: the outcome (status code or error text) is returned for the worker to record.
 * The target is checked before any connection (./target-guard.ts): a refused address fails the
 * delivery with the reason, and nothing is sent there.
 */
import "server-only";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { DELIVERY_HEADER, DELIVERY_TIMEOUT_MS, EVENT_HEADER, SIGNATURE_HEADER, signWebhookBody } from "../../domain/webhooks";
import { guardedLookup, literalRefusal, RefusedTarget } from "./target-guard";

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
  /** The target address is not allowed: retrying cannot help. */
  refused?: boolean;
}

export async function sendDelivery(request: DeliveryRequest, opts: { timeoutMs?: number } = {}): Promise<AttemptResult> {
  const body = JSON.stringify(request.payload);
  const timeoutMs = opts.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return { statusCode: null, error: "the webhook URL is not valid", refused: true };
  }
  const literal = literalRefusal(url);
  if (literal) return { statusCode: null, error: literal.message, refused: true };
  try {
    const response = await post(url, body, timeoutMs, {
      "content-type": "application/json",
      "user-agent": "Rollgate-Webhooks/1",
      [EVENT_HEADER]: request.event,
      [DELIVERY_HEADER]: request.deliveryId,
      [SIGNATURE_HEADER]: signWebhookBody(request.secret, body),
    });
    response.resume(); // the answer's body is not needed
    const status = response.statusCode ?? 0;
    const ok = status >= 200 && status < 300;
    // Redirects are not followed: an answer to fix at the receiver, not to follow blindly.
    return { statusCode: status, error: ok ? null : `HTTP ${status}` };
  } catch (error) {
    if (error instanceof RefusedTarget) return { statusCode: null, error: error.message, refused: true };
    return { statusCode: null, error: describeFailure(error, timeoutMs) };
  }
}

function post(url: URL, body: string, timeoutMs: number, headers: Record<string, string>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(url, {
      method: "POST",
      headers: { ...headers, "content-length": Buffer.byteLength(body) },
      lookup: guardedLookup,
      timeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    req.on("response", resolve);
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { name: "TimeoutError" })));
    req.on("error", reject);
    req.end(body);
  });
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError") return `no answer within ${timeoutMs / 1000} s`;
    const code = (error as Error & { code?: string }).code;
    return (code && !error.message.includes(code) ? `${error.message}: ${code}` : error.message).slice(0, 500);
  }
  return String(error).slice(0, 500);
}
