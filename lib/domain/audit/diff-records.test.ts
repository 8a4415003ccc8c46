import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { JsonValue } from "./chain";
import { childPath, diffRecords, type FieldChange } from "./diff-records";
import { REDACTED } from "./redact";

describe("diffRecords", () => {
  test("a flag update lists only the fields that changed, with nested paths", () => {
    const before = {
      key: "checkout-model",
      enabled: true,
      version: 3,
      rules: [{ conditions: [{ attribute: "plan", op: "eq", value: "pro" }], serve: { variant: "gpt-4o" } }],
    };
    const after = {
      key: "checkout-model",
      enabled: false,
      version: 4,
      rules: [{ conditions: [{ attribute: "plan", op: "eq", value: "pro" }], serve: { variant: "gpt-4.1" } }],
    };
    expect(diffRecords(before, after)).toEqual([
      { kind: "changed", path: "enabled", before: true, after: false },
      { kind: "changed", path: "version", before: 3, after: 4 },
      { kind: "changed", path: "rules[0].serve.variant", before: "gpt-4o", after: "gpt-4.1" },
    ]);
  });

  test("added and removed fields and array elements", () => {
    const before = { description: "old", tags: ["a", "b"], killSwitchReason: "incident" };
    const after = { description: "old", tags: ["a"], owner: { team: "ml" } };
    expect(diffRecords(before, after)).toEqual([
      { kind: "removed", path: "tags[1]", before: "b" },
      { kind: "removed", path: "killSwitchReason", before: "incident" },
      { kind: "added", path: "owner", after: { team: "ml" } },
    ]);
  });

  test("a creation lists every field as added; a deletion every field as removed", () => {
    expect(diffRecords(null, { key: "f", enabled: true })).toEqual([
      { kind: "added", path: "key", after: "f" },
      { kind: "added", path: "enabled", after: true },
    ]);
    expect(diffRecords({ name: "hook" }, null)).toEqual([{ kind: "removed", path: "name", before: "hook" }]);
    expect(diffRecords(null, null)).toEqual([]);
  });

  test("a value whose type changes is one change, and null is a value", () => {
    expect(diffRecords({ a: [1], b: null, c: { x: 1 } }, { a: { 0: 1 }, b: 0, c: null })).toEqual([
      { kind: "changed", path: "a", before: [1], after: { 0: 1 } },
      { kind: "changed", path: "b", before: null, after: 0 },
      { kind: "changed", path: "c", before: { x: 1 }, after: null },
    ]);
  });

  test("keys that are not identifiers are quoted, and inherited names are not mistaken for fields", () => {
    expect(diffRecords({ "x-header": 1 }, { "x-header": 2, constructor: "c" })).toEqual([
      { kind: "changed", path: '["x-header"]', before: 1, after: 2 },
      { kind: "added", path: "constructor", after: "c" },
    ]);
    expect(childPath("rules", 0)).toBe("rules[0]");
    expect(childPath("", "a b")).toBe('["a b"]');
  });

  test("redacted secrets are compared and shown as stored", () => {
    expect(diffRecords({ url: "https://hooks.example.com/***", secret: REDACTED }, { url: "https://other.example.com/***", secret: REDACTED })).toEqual([
      { kind: "changed", path: "url", before: "https://hooks.example.com/***", after: "https://other.example.com/***" },
    ]);
  });

  test("a document that is not an object changes as a whole", () => {
    expect(diffRecords("on", "off")).toEqual([{ kind: "changed", path: "(value)", before: "on", after: "off" }]);
    expect(diffRecords(5, 5)).toEqual([]);
  });
});

// ---------- Properties ----------

const key = fc.oneof(fc.constantFrom("a", "b", "rules", "variant", "x-y", "constructor", "0"), fc.string({ maxLength: 4 }));
const json: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom<JsonValue>(null, true, false, 0, 1, "x", ""),
    fc.integer(),
    fc.string({ maxLength: 5 }),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(key, tie("value"), { maxKeys: 4 }),
  ),
})).value;
const doc = fc.dictionary(key, json, { maxKeys: 5 });

/** Parses a path written by childPath back into its steps. */
function steps(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /(?:^|\.)([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < path.length && (m = re.exec(path))) out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]) as string)));
  return out;
}

/** Applies changes to a copy of `before`; removals from arrays run last-index first. */
function apply(before: JsonValue, changes: FieldChange[]): JsonValue {
  const root = { v: structuredClone(before) } as { [k: string]: JsonValue };
  const ordered = [...changes.filter((c) => c.kind !== "removed"), ...changes.filter((c) => c.kind === "removed").reverse()];
  for (const c of ordered) {
    const path: (string | number)[] = ["v", ...steps(c.path)];
    let node = root as JsonValue;
    for (const step of path.slice(0, -1)) node = (node as Record<string, JsonValue>)[step];
    const last = path[path.length - 1];
    if (c.kind === "removed") {
      if (Array.isArray(node)) node.splice(last as number, 1);
      else Reflect.deleteProperty(node as Record<string, JsonValue>, last);
    } else {
      Object.defineProperty(node, last, { value: c.after, enumerable: true, writable: true, configurable: true });
    }
  }
  return root.v;
}

test("applying the changes to before gives after (so nothing is missed or invented)", () => {
  fc.assert(
    fc.property(doc, doc, (before, after) => {
      expect(apply(before, diffRecords(before, after))).toEqual(after);
    }),
    { numRuns: 400 },
  );
});

test("a document compared with itself has no changes, and every path is listed once", () => {
  fc.assert(
    fc.property(doc, doc, (before, after) => {
      expect(diffRecords(before, structuredClone(before))).toEqual([]);
      const paths = diffRecords(before, after).map((c) => c.path);
      expect(new Set(paths).size).toBe(paths.length);
    }),
  );
});
