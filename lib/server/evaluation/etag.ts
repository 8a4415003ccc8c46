/**
 * Entity tags of evaluation responses. A response depends on the environment's configuration
 * version AND on what was asked (context, flag list), so the tag hashes all of them: a client
 * that changes its context can never get a 304 meant for another context.
 */
import "server-only";
import { hash } from "node:crypto";

/**
 * JSON with object keys sorted at every level, so `{"a":1,"b":2}` and `{"b":2,"a":1}` give the
 * same text. Arrays keep their order; `undefined` members are dropped as JSON.stringify does.
 * Written as plain loops: it runs on every evaluation request.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      out += value[i] === undefined ? "null" : canonicalJson(value[i]);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    if (!first) out += ",";
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

/**
 * `"<32 hex>"`: sha256 over endpoint, environment, config version and the canonical request.
 * `flags` (when given) counts as a set: order and duplicates do not change the tag.
 */
export function evaluationEtag(parts: { endpoint: string; environmentId: string; version: string; context: unknown; flags?: readonly string[] }): string {
  const flags = parts.flags ? [...new Set(parts.flags)].sort() : null;
  const input = `${parts.endpoint}\n${parts.environmentId}\n${parts.version}\n${canonicalJson({ context: parts.context, flags })}`;
  const digest = hash("sha256", input, "hex").slice(0, 32);
  return `"${digest}"`;
}

/**
 * Whether an If-None-Match header value matches `etag`: `*`, or any listed tag equal to it,
 * compared weakly (a `W/` prefix on either side is ignored, as RFC 9110 says for If-None-Match).
 */
export function ifNoneMatchHits(header: string | string[] | undefined, etag: string): boolean {
  if (!header) return false;
  const value = Array.isArray(header) ? header.join(",") : header;
  const bare = etag.replace(/^W\//, "");
  for (const raw of value.split(",")) {
    const tag = raw.trim();
    if (tag === "*") return true;
    if (tag.replace(/^W\//, "") === bare) return true;
  }
  return false;
}
