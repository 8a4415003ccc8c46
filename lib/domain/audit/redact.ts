/**
 * What the audit trail may hold about secrets: nothing. Applied to every record's before, after
 * and context when it is written (lib/server/audit/record-audit.ts), and again when records are
 * read or exported, so records written before this rule existed are shown redacted too.
 *   - URLs (any field whose name ends in `url`): scheme + host only, path and query masked, since
 *     a webhook URL is often its own credential (Slack, Teams, Discord hooks).
 *   - Fields named like a secret (secret, password, token, key hashes…): replaced by a marker.
 */
import type { JsonValue } from "./chain";

export const REDACTED = "[redacted]";
const SECRET_FIELD = /^(secret|password|passwordHash|keyHash|token|streamToken|apiKey|rawKey|authorization|clientSecret)$/i;
const URL_FIELD = /url$/i;

/** `https://hooks.slack.com/***`: scheme and host (with port) kept; user info, path, query dropped. */
export function maskUrl(value: string): string {
  const m = /^([a-z][a-z0-9+.-]*:)\/\/(?:[^@/?#]*@)?([^/?#]*)(.*)$/i.exec(value.trim());
  if (!m) return REDACTED;
  const [, scheme, host, rest] = m;
  return rest === "" || rest === "/" ? `${scheme}//${host}/` : `${scheme}//${host}/***`;
}

export function redactSecrets(value: JsonValue, field = ""): JsonValue {
  if (value === null) return null;
  if (SECRET_FIELD.test(field) && typeof value !== "boolean") return REDACTED;
  if (typeof value === "string") return URL_FIELD.test(field) ? maskUrl(value) : value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, field));
  if (typeof value === "object") {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactSecrets(v, k);
    return out;
  }
  return value;
}
