/**
 * OTLP/HTTP trace payloads (JSON or protobuf) → OtlpSpan[], and the responses back in the
 * request's encoding. Both encodings go through one normalizer: protobufjs' `toObject` yields the
 * same camelCase tree as OTLP/JSON, except that ids are bytes (hex in JSON) and 64-bit integers
 * are strings either way.
 */
import "server-only";
import { DomainError } from "../../../domain/errors";
import type { OtlpSpan, SpanAttributeValue } from "../../../domain/metrics/otlp-span";
import { ExportTraceServiceRequest, ExportTraceServiceResponse, RpcStatus } from "./otlp-proto";

export type OtlpEncoding = "json" | "protobuf";

/** Most spans one request may carry (the official exporters send at most 512 by default). */
export const MAX_SPANS_PER_REQUEST = 10_000;

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function idOf(v: unknown): string {
  if (v instanceof Uint8Array) return Buffer.from(v).toString("hex");
  if (typeof v === "string") return /^[0-9a-fA-F]*$/.test(v) ? v.toLowerCase() : Buffer.from(v, "base64").toString("hex");
  return "";
}

const nanos = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" && Number.isSafeInteger(v) ? String(v) : "");

function anyValue(v: unknown, depth = 0): SpanAttributeValue {
  if (!isTree(v) || depth > 8) return null;
  if ("stringValue" in v) return typeof v.stringValue === "string" ? v.stringValue : null;
  if ("boolValue" in v) return v.boolValue === true;
  if ("intValue" in v) {
    const n = Number(v.intValue);
    return Number.isSafeInteger(n) ? n : String(v.intValue);
  }
  if ("doubleValue" in v) return typeof v.doubleValue === "number" ? v.doubleValue : Number(v.doubleValue);
  if ("arrayValue" in v) return list(isTree(v.arrayValue) ? v.arrayValue.values : undefined).map((x) => anyValue(x, depth + 1));
  if ("kvlistValue" in v) return attributesOf(isTree(v.kvlistValue) ? v.kvlistValue.values : undefined, depth + 1);
  if ("bytesValue" in v) return idOf(v.bytesValue);
  return null;
}

function attributesOf(kvs: unknown, depth = 0): Record<string, SpanAttributeValue> {
  const out: Record<string, SpanAttributeValue> = {};
  for (const kv of list(kvs)) if (isTree(kv) && typeof kv.key === "string") out[kv.key] = anyValue(kv.value, depth);
  return out;
}

/** The spans of an ExportTraceServiceRequest tree (already decoded). */
export function spansOf(request: unknown): OtlpSpan[] {
  if (!isTree(request)) throw new DomainError("invalid_input", "The body is not an ExportTraceServiceRequest object.");
  const spans: OtlpSpan[] = [];
  for (const rs of list(request.resourceSpans)) {
    if (!isTree(rs)) continue;
    const resource = attributesOf(isTree(rs.resource) ? rs.resource.attributes : undefined);
    for (const ss of list(rs.scopeSpans)) {
      if (!isTree(ss)) continue;
      for (const s of list(ss.spans)) {
        if (!isTree(s)) continue;
        if (spans.length >= MAX_SPANS_PER_REQUEST) {
          throw new DomainError("payload_too_large", `A request holds at most ${MAX_SPANS_PER_REQUEST} spans; send smaller batches.`);
        }
        const status = isTree(s.status) ? s.status : {};
        spans.push({
          traceId: idOf(s.traceId),
          spanId: idOf(s.spanId),
          name: typeof s.name === "string" ? s.name : "",
          startTimeUnixNano: nanos(s.startTimeUnixNano),
          endTimeUnixNano: nanos(s.endTimeUnixNano),
          statusCode: Number(status.code ?? 0),
          statusMessage: typeof status.message === "string" ? status.message : "",
          attributes: attributesOf(s.attributes),
          resource,
        });
      }
    }
  }
  return spans;
}

export function decodeTraceRequest(body: Buffer, encoding: OtlpEncoding): OtlpSpan[] {
  if (encoding === "json") {
    let parsed: unknown;
    try {
      parsed = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
    } catch (e) {
      throw new DomainError("invalid_input", `The body is not valid JSON: ${(e as Error).message}`);
    }
    return spansOf(parsed);
  }
  let message;
  try {
    message = ExportTraceServiceRequest.decode(body);
  } catch (e) {
    throw new DomainError("invalid_input", `The body is not a protobuf ExportTraceServiceRequest: ${(e as Error).message}`);
  }
  return spansOf(ExportTraceServiceRequest.toObject(message, { longs: String, enums: Number, defaults: false, oneofs: false }));
}

export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

/** ExportTraceServiceResponse; `partialSuccess` only when something was rejected or there is a warning. */
export function encodeTraceResponse(partial: PartialSuccess | null, encoding: OtlpEncoding): Buffer {
  if (encoding === "json") {
    const body = partial ? { partialSuccess: { rejectedSpans: String(partial.rejectedSpans), errorMessage: partial.errorMessage } } : {};
    return Buffer.from(JSON.stringify(body));
  }
  const message = ExportTraceServiceResponse.fromObject(partial ? { partialSuccess: { rejectedSpans: partial.rejectedSpans, errorMessage: partial.errorMessage } } : {});
  return Buffer.from(ExportTraceServiceResponse.encode(message).finish());
}

/** google.rpc.Status for a failed request (code: gRPC status code). */
export function encodeRpcStatus(code: number, message: string, encoding: OtlpEncoding): Buffer {
  if (encoding === "json") return Buffer.from(JSON.stringify({ code, message }));
  return Buffer.from(RpcStatus.encode(RpcStatus.fromObject({ code, message })).finish());
}
