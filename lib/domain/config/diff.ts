/**
 * The plan of an apply: for every resource the files name, create / update / unchanged with the
 * fields that differ (leaf by leaf), and, with prune, archive (flags) or delete (SLOs,
 * webhooks) for what the files no longer name. Pure: the service loads both sides.
 */
import { canonicalJson, type JsonValue } from "../audit/chain";
import { APPLIED_KINDS, resourceRef, type CurrentResource, type DesiredResource, type FieldChange, type ResourceChange } from "./types";

export function planConfig(desired: readonly DesiredResource[], current: readonly CurrentResource[], opts: { prune: boolean }): ResourceChange[] {
  const byRef = new Map(current.map((c) => [resourceRef(c), c]));
  const named = new Set(desired.map(resourceRef));
  const changes: ResourceChange[] = desired.map((d) => {
    const now = byRef.get(resourceRef(d));
    if (!now) return { kind: d.kind, name: d.name, action: "create", fields: diffFields(undefined, d.spec), version: null };
    const fields = diffFields(now.spec, d.spec);
    return { kind: d.kind, name: d.name, action: fields.length ? "update" : "unchanged", fields, version: now.version };
  });
  if (opts.prune) {
    for (const c of current) {
      if (named.has(resourceRef(c))) continue;
      changes.push({ kind: c.kind, name: c.name, action: c.kind === "Flag" ? "archive" : "delete", fields: diffFields(c.spec, undefined), version: c.version });
    }
  }
  return changes.sort(byKindThenName);
}

/** Flags first: an SLO may name a flag created by the same apply. */
function byKindThenName(a: ResourceChange, b: ResourceChange): number {
  return APPLIED_KINDS.indexOf(a.kind) - APPLIED_KINDS.indexOf(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

const same = (a: JsonValue | undefined, b: JsonValue | undefined) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
const isObject = (v: JsonValue | undefined): v is { [k: string]: JsonValue } => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Leaf-level differences. Objects are compared key by key and arrays of equal length item by
 * item, so an edited payload shows as `variants.1.payload.model`; an array that grew or shrank
 * is shown whole. A missing value and null are the same (absent ceilings are null).
 */
export function diffFields(before: JsonValue | undefined, after: JsonValue | undefined, path = ""): FieldChange[] {
  if (same(before, after)) return [];
  const join = (k: string | number) => (path ? `${path}.${k}` : String(k));
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffFields(before[k], after[k], join(k)));
  }
  if (path === "" && (before === undefined || after === undefined)) {
    // A whole resource appearing or going: list its top-level fields.
    const side = (before ?? after) as JsonValue;
    if (isObject(side)) {
      return Object.keys(side)
        .sort()
        .filter((k) => side[k] !== null)
        .map((k) => (before === undefined ? { path: k, after: side[k] } : { path: k, before: side[k] }));
    }
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => diffFields(b, after[i], join(i)));
  }
  return [{ path, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) }];
}

/** Fields of a flag that change what evaluation serves (everything but the description). */
export const FLAG_SERVING_FIELDS = ["kind", "variants", "defaultVariant", "fallbackVariant", "stickiness", "enabled", "rules"] as const;

export function changesServing(change: ResourceChange): boolean {
  if (change.kind !== "Flag" || change.action === "create" || change.action === "unchanged") return false;
  return change.fields.some((f) => (FLAG_SERVING_FIELDS as readonly string[]).includes(f.path.split(".")[0]));
}

/** Resources whose version is not the one the plan was computed against (null: expected absent). */
export function staleResources(expected: Readonly<Record<string, string | null>>, current: readonly CurrentResource[]): { ref: string; expected: string | null; current: string | null }[] {
  const now = new Map(current.map((c) => [resourceRef(c), c.version]));
  return Object.entries(expected)
    .map(([ref, version]) => ({ ref, expected: version, current: now.get(ref) ?? null }))
    .filter((r) => r.expected !== r.current);
}
