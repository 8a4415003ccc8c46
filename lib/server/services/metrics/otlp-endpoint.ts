/**
 * POST /v1/traces — OTLP/HTTP trace export (the official OpenTelemetry exporters' default path).
 * An API key of scope `ingest` as `Authorization: Bearer <key>` names the environment. Bodies:
 * `application/json` or `application/x-protobuf`, optionally `Content-Encoding: gzip`. Answers
 * per the OTLP/HTTP spec: 200 with an ExportTraceServiceResponse (with `partialSuccess` when
 * spans were rejected or ignored), or a failure status with a google.rpc.Status body, both in
 * the request's encoding. 429/503 carry Retry-After, which the exporters honour.
 * Registered with the runtime's fast routes, like POST /api/v1/events.
 */
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gunzipSync } from "node:zlib";
import { DomainError } from "../../../domain/errors";
import { authenticateApiKey, isKeyRefusal } from "../../evaluation/api-key-lookup";
import { apiKeyOf, readBody, requestIdOf } from "../../evaluation/http-io";
import { BodyTooLarge } from "../../http/body";
import { problemFromError } from "../../http/problem";
import { decodeTraceRequest, encodeRpcStatus, encodeTraceResponse, type OtlpEncoding } from "./otlp-decode";
import { ingestOtlpSpans, partialSuccessOf } from "./otlp-traces";

export const OTLP_TRACES_PATH = "/v1/traces";
/** Largest body accepted, compressed and after decompression (4 MiB). */
export const MAX_OTLP_BODY_BYTES = 4 * 1024 * 1024;

/** gRPC status codes for OTLP/HTTP failure bodies, by HTTP status. */
const RPC_CODES: Record<number, number> = { 400: 3, 401: 16, 403: 7, 405: 12, 413: 8, 415: 3, 429: 8, 500: 13, 503: 14 };

const CONTENT_TYPES: Record<OtlpEncoding, string> = { json: "application/json", protobuf: "application/x-protobuf" };

function encodingOf(contentType: string | undefined): OtlpEncoding | null {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "application/x-protobuf" || type === "application/protobuf") return "protobuf";
  return null;
}

function send(res: ServerResponse, status: number, body: Buffer, encoding: OtlpEncoding, headers: Record<string, string | number> = {}): void {
  res.writeHead(status, { "content-type": CONTENT_TYPES[encoding], "content-length": body.length, ...headers });
  res.end(body);
}

function fail(res: ServerResponse, status: number, message: string, encoding: OtlpEncoding, headers: Record<string, string | number> = {}): void {
  send(res, status, encodeRpcStatus(RPC_CODES[status] ?? 2, message, encoding), encoding, headers);
}

export async function otlpTracesFastRoute(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const path = (req.url ?? "").split("?")[0];
  if (path !== OTLP_TRACES_PATH) return false;
  const declared = encodingOf(req.headers["content-type"]);
  const encoding = declared ?? "json";
  try {
    if (req.method !== "POST") {
      req.resume();
      fail(res, 405, "Use POST on /v1/traces.", encoding, { allow: "POST" });
      return true;
    }
    const raw = apiKeyOf(req);
    if (!raw) {
      req.resume();
      fail(res, 401, "Send an API key of scope `ingest` as `Authorization: Bearer <key>`.", encoding);
      return true;
    }
    const key = await authenticateApiKey(raw);
    if (isKeyRefusal(key)) {
      req.resume();
      fail(res, key.status, key.detail, encoding, key.retryAfter ? { "retry-after": key.retryAfter } : {});
      return true;
    }
    if (!key.permissions.has("event.ingest")) {
      req.resume();
      fail(res, 403, "This API key lacks the `ingest` scope.", encoding);
      return true;
    }
    if (!declared) {
      req.resume();
      fail(res, 415, "Content-Type must be application/json or application/x-protobuf.", encoding);
      return true;
    }
    const contentEncoding = String(req.headers["content-encoding"] ?? "identity")
      .trim()
      .toLowerCase();
    if (contentEncoding !== "gzip" && contentEncoding !== "identity") {
      req.resume();
      fail(res, 415, `Content-Encoding "${contentEncoding}" is not supported; use gzip or none.`, encoding);
      return true;
    }
    let body = await readBody(req, MAX_OTLP_BODY_BYTES);
    if (contentEncoding === "gzip") {
      try {
        body = gunzipSync(body, { maxOutputLength: MAX_OTLP_BODY_BYTES });
      } catch (e) {
        if (e instanceof RangeError) throw new BodyTooLarge(MAX_OTLP_BODY_BYTES);
        throw new DomainError("invalid_input", `The gzip body cannot be decompressed: ${(e as Error).message}`);
      }
    }
    const spans = decodeTraceRequest(body, encoding);
    const result = await ingestOtlpSpans({ environmentId: key.environmentId, spans });
    send(res, 200, encodeTraceResponse(partialSuccessOf(result), encoding), encoding);
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return true;
    }
    const problem = problemFromError(error, requestIdOf(req));
    const headers: Record<string, string | number> = problem.status === 503 || problem.status === 429 ? { "retry-after": 1 } : {};
    if (error instanceof BodyTooLarge) headers.connection = "close";
    fail(res, problem.status, problem.detail, encoding, headers);
  }
  return true;
}
