import { createHmac, timingSafeEqual } from "node:crypto";

/** Header carrying the signature: `sha256=<hex HMAC-SHA256 of the raw body, keyed by the secret>`. */
export const SIGNATURE_HEADER = "X-Rollgate-Signature";
export const EVENT_HEADER = "X-Rollgate-Event";
export const DELIVERY_HEADER = "X-Rollgate-Delivery";

/**
 * Signs the exact bytes sent. Receivers must verify against the raw body, before parsing JSON:
 * re-serialising may reorder keys or change whitespace and break the signature.
 */
export function signWebhookBody(secret: string, rawBody: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody, "utf8").digest("hex")}`;
}

/** Constant-time check of a received signature header; false for any malformed value. */
export function verifyWebhookSignature(secret: string, rawBody: string, header: string | null | undefined): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  const expected = Buffer.from(signWebhookBody(secret, rawBody).slice(7), "hex");
  const received = Buffer.from(header.slice(7), "hex");
  return expected.length === received.length && timingSafeEqual(expected, received);
}
