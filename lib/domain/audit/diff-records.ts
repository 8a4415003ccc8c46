/**
 * What an audit record changed, field by field: the difference between its `before` and `after`
 * documents as a flat list of paths (`rules[0].variant`, `stages[2].percent`). Objects are
 * compared key by key and arrays index by index, so a changed rule shows as the fields that
 * changed inside it, not as a whole new list. Values are taken as stored, so redacted secrets
 * stay redacted.
 */
import type { JsonValue } from "./chain";

export type FieldChange =
  { kind: "added"; path: string; after: JsonValue } | { kind: "removed"; path: string; before: JsonValue } | { kind: "changed"; path: string; before: JsonValue; after: JsonValue };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `parent.key`, or `parent["odd key"]` when the key is not a plain identifier. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (IDENTIFIER.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

type JsonObject = { [key: string]: JsonValue };

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** An own property's value; `undefined` when absent (never one inherited, like `constructor`). */
function own(o: JsonObject, k: string): JsonValue | undefined {
  return Object.hasOwn(o, k) ? o[k] : undefined;
}

function equal(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => equal(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  }
  return false;
}

function walk(before: JsonValue | undefined, after: JsonValue | undefined, path: string, out: FieldChange[]): void {
  if (before === undefined && after === undefined) return;
  if (before === undefined) {
    out.push({ kind: "added", path, after: after as JsonValue });
    return;
  }
  if (after === undefined) {
    out.push({ kind: "removed", path, before });
    return;
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !Object.hasOwn(before, k))];
    for (const k of keys) walk(own(before, k), own(after, k), childPath(path, k), out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) walk(before[i], after[i], childPath(path, i), out);
    return;
  }
  if (!equal(before, after)) out.push({ kind: "changed", path, before, after });
}

/**
 * The changes from `before` to `after`, in document order (before's keys first, then keys only
 * `after` has). A record with no `before` (a creation) lists every top-level field of `after`
 * as added; one with no `after` (a deletion) lists `before`'s as removed. A document that is not
 * an object at the top changes as a whole, under the path `(value)`.
 */
export function diffRecords(before: JsonValue | null, after: JsonValue | null): FieldChange[] {
  const out: FieldChange[] = [];
  const b = before ?? {};
  const a = after ?? {};
  if (isObject(b) && isObject(a)) walk(b, a, "", out);
  else if (!equal(b, a)) out.push({ kind: "changed", path: "(value)", before: b, after: a });
  return out;
}
