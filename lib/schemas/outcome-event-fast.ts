/**
 * A quick yes to the common outcome event, without building anything: true only when
 * `outcomeEventSchema` would accept `raw` unchanged and `textIssues` would find nothing in it.
 * Anything else — a timestamp as a string, text with NUL or any surrogate, an unknown field, a
 * bad value — answers false, and the caller runs the full check, whose messages are the ones
 * clients see. So this may say "not sure" too often, never "valid" wrongly; the unit tests
 * compare the two on valid and invalid events.
 */
import { MAX_ATTRIBUTES_CHARS, MAX_EVENT_STRING, MAX_LATENCY_MS, type OutcomeEvent } from "./events";

/** NUL, or any UTF-16 surrogate (paired ones too: the full check decides those). */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const SUSPECT_TEXT = /[\u0000\uD800-\uDFFF]/;
/** The same in JSON text: JSON.stringify escapes NUL and lone surrogates as \u0000, \udXXX. */
const SUSPECT_JSON = /\\u0000|\\ud[89a-f]/i;

function text(v: unknown, max: number): boolean {
  return typeof v === "string" && v.length >= 1 && v.length <= max && !SUSPECT_TEXT.test(v);
}
const optionalText = (v: unknown, max = MAX_EVENT_STRING) => v == null || text(v, max);
const between = (v: unknown, min: number, max: number) => typeof v === "number" && Number.isFinite(v) && v >= min && v <= max;
const optionalBetween = (v: unknown, min: number, max: number) => v == null || between(v, min, max);
const optionalInt = (v: unknown, min: number, max: number) => v == null || (Number.isInteger(v) && (v as number) >= min && (v as number) <= max);

function plainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

function attributesOk(v: unknown): boolean {
  if (v == null) return true;
  if (!plainObject(v)) return false;
  try {
    const json = JSON.stringify(v);
    return json.length <= MAX_ATTRIBUTES_CHARS && !SUSPECT_JSON.test(json);
  } catch {
    return false;
  }
}

function fieldOk(key: string, v: unknown): boolean {
  switch (key) {
    case "id":
    case "flagKey":
    case "variant":
      return text(v, MAX_EVENT_STRING);
    case "timestamp":
      return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 8_640_000_000_000_000;
    case "success":
      return typeof v === "boolean";
    case "rolloutId":
    case "subjectKey":
    case "requestId":
    case "pairId":
    case "model":
      return optionalText(v);
    case "errorType":
      return optionalText(v, 100);
    case "arm":
      return v == null || v === "control" || v === "treatment";
    case "stage":
      return optionalInt(v, 0, 1000);
    case "latencyMs":
      return optionalBetween(v, 0, MAX_LATENCY_MS);
    case "inputTokens":
    case "outputTokens":
      return optionalInt(v, 0, 100_000_000);
    case "costUsd":
      return optionalBetween(v, 0, 10_000);
    case "feedback":
      return v == null || v === 1 || v === -1;
    case "retried":
      return v == null || typeof v === "boolean";
    case "qualityScore":
      return optionalBetween(v, 0, 1);
    case "attributes":
      return attributesOk(v);
    default:
      return false;
  }
}

/** The fields without which an event is invalid; each is checked by fieldOk when present. */
const REQUIRED = 5; // id, timestamp, flagKey, variant, success

export function isPlainValidOutcomeEvent(raw: unknown): raw is OutcomeEvent {
  if (!plainObject(raw)) return false;
  let required = 0;
  for (const key in raw) {
    if (!fieldOk(key, raw[key])) return false;
    if (key === "id" || key === "timestamp" || key === "flagKey" || key === "variant" || key === "success") required++;
  }
  return required === REQUIRED;
}
