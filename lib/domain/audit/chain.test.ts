import { describe, expect, test } from "vitest";
import { GENESIS_HASH, canonicalJson, checkpointSignatureValid, hashAuditRecord, signCheckpoint, toJsonValue, verifyChain, type AuditContent, type ChainedRecord } from "./chain";

const content = (i: number): AuditContent => ({
  occurredAt: new Date(Date.UTC(2026, 10, 24, 12, 0, i)).toISOString(),
  actorType: "user",
  actorId: "u1",
  actorLabel: "ada@example.com",
  actorRoles: ["admin"],
  action: "user.create",
  resourceType: "user",
  resourceId: `u${i + 2}`,
  environmentId: null,
  before: null,
  after: { email: `user${i}@example.com`, roles: ["viewer"] },
  context: { requestId: `r${i}` },
});

function chain(n: number): ChainedRecord[] {
  const out: ChainedRecord[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const hash = hashAuditRecord(content(i), prev);
    out.push({ ...content(i), id: String(i + 1), prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe("canonical JSON", () => {
  test("key order does not matter, nesting included", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  test("normalises what jsonb would change", () => {
    expect(toJsonValue({ at: new Date("2026-01-01T00:00:00.000Z"), n: 10n, u: undefined, inf: Infinity })).toEqual({
      at: "2026-01-01T00:00:00.000Z",
      n: "10",
      inf: null,
    });
  });
});

describe("verifyChain", () => {
  test("an untouched chain is valid", () => {
    const records = chain(5);
    expect(verifyChain(records)).toEqual({ valid: true, records: 5, lastHash: records[4].hash });
    expect(verifyChain([])).toEqual({ valid: true, records: 0, lastHash: GENESIS_HASH });
  });

  test("a changed field is caught at that record", () => {
    const records = chain(5);
    records[2] = { ...records[2], after: { email: "mallory@example.com", roles: ["admin"] } };
    expect(verifyChain(records)).toMatchObject({ valid: false, firstInvalidId: "3", reason: "hash_mismatch" });
  });

  test("a removed record breaks the link of the next one", () => {
    const records = chain(5);
    records.splice(1, 1);
    expect(verifyChain(records)).toMatchObject({ valid: false, firstInvalidId: "3", reason: "broken_link" });
  });

  test("a recomputed hash on a changed record still breaks the next link", () => {
    const records = chain(4);
    const forged = { ...records[1], actorLabel: "someone-else" };
    forged.hash = hashAuditRecord((({ id: _i, hash: _h, prevHash: _p, ...c }) => c)(forged), forged.prevHash);
    records[1] = forged;
    expect(verifyChain(records)).toMatchObject({ valid: false, firstInvalidId: "3", reason: "broken_link" });
  });

  test("verification resumes across pages", () => {
    const records = chain(6);
    const first = verifyChain(records.slice(0, 3));
    if (!first.valid) throw new Error("expected valid");
    expect(verifyChain(records.slice(3), first.lastHash, first.records)).toEqual({
      valid: true,
      records: 6,
      lastHash: records[5].hash,
    });
  });
});

describe("keyed chain and signed checkpoint", () => {
  const key = Buffer.from("k".repeat(32));
  const keyedChain = (n: number, keyedFromId: bigint, k: Uint8Array = key): ChainedRecord[] => {
    const out: ChainedRecord[] = [];
    let prev = GENESIS_HASH;
    for (let i = 0; i < n; i++) {
      const id = BigInt(i + 1);
      const hash = hashAuditRecord(content(i), prev, id >= keyedFromId ? k : null);
      out.push({ ...content(i), id: String(id), prevHash: prev, hash });
      prev = hash;
    }
    return out;
  };

  test("records before the cut-over verify as SHA-256, from it on only with the key", () => {
    const records = keyedChain(6, 4n);
    expect(verifyChain(records, GENESIS_HASH, 0, { key, keyedFromId: 4n })).toMatchObject({ valid: true, records: 6 });
    // Someone without the key rewrites record 6 and recomputes a plain hash: found.
    const forged = [...records];
    const rewritten = { ...content(5), after: { email: "mallory@example.com" } };
    forged[5] = { ...rewritten, id: "6", prevHash: records[4].hash, hash: hashAuditRecord(rewritten, records[4].hash) };
    expect(verifyChain(forged, GENESIS_HASH, 0, { key, keyedFromId: 4n })).toMatchObject({ valid: false, firstInvalidId: "6", reason: "hash_mismatch" });
    // Or with a wrong key: found too.
    expect(verifyChain(keyedChain(6, 4n, Buffer.from("x".repeat(32))), GENESIS_HASH, 0, { key, keyedFromId: 4n })).toMatchObject({ valid: false, firstInvalidId: "4" });
  });

  test("a checkpoint verifies only with its signature and key; unsigned only before any keyed record", () => {
    const cp = { records: 6n, headId: 6n, headHash: "ab".repeat(32), keyedFromId: 4n };
    const sig = signCheckpoint(key, cp);
    expect(checkpointSignatureValid(key, cp, sig)).toBe(true);
    expect(checkpointSignatureValid(key, { ...cp, records: 5n, headId: 5n }, sig)).toBe(false);
    expect(checkpointSignatureValid(Buffer.from("x".repeat(32)), cp, sig)).toBe(false);
    expect(checkpointSignatureValid(key, cp, null)).toBe(false);
    expect(checkpointSignatureValid(key, { ...cp, headId: 3n, records: 3n }, null)).toBe(true);
    expect(checkpointSignatureValid(key, { ...cp, headId: null, records: 0n }, null)).toBe(true);
    expect(checkpointSignatureValid(key, cp, "zz")).toBe(false);
  });
});
