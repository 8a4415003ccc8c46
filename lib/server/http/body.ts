import "server-only";
import { DomainError } from "../../domain/errors";

/** A request body over the limit: 413, the same error for route handlers and the lean layer. */
export class BodyTooLarge extends DomainError {
  constructor(maxBytes: number) {
    super("payload_too_large", `Request body exceeds the limit of ${maxBytes} bytes.`, { maxBytes });
  }
}

/**
 * Reads a JSON body, refusing more than `maxBytes` (413) before buffering it all, and
 * non-JSON content (400) with a message saying where parsing failed.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLarge(maxBytes);
  const text = await readTextLimited(request, maxBytes);
  if (text.trim() === "") throw new DomainError("invalid_input", "Request body is empty; send a JSON document.");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DomainError("invalid_input", `Request body is not valid JSON: ${(e as Error).message}`);
  }
}

export async function readTextLimited(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new BodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
