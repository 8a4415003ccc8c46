import { describe, expect, test } from "vitest";
import { MAX_PAYLOAD_BYTES, outcomePayloads, parseOutcomePayload } from "./outcome-notify";

describe("outcome notification payloads", () => {
  test("a few ids fit in one payload and read back", () => {
    const payloads = outcomePayloads("origin-1", ["a", "b", "c"]);
    expect(payloads).toEqual(["origin-1:a,b,c"]);
    expect(parseOutcomePayload(payloads[0])).toEqual({ origin: "origin-1", rolloutIds: ["a", "b", "c"] });
  });

  test("many ids are split under NOTIFY's 8000-byte limit, none lost", () => {
    const ids = Array.from({ length: 1_000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const payloads = outcomePayloads("2b0c5d1e-0000-4000-8000-000000000000", ids);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    expect(payloads.flatMap((p) => parseOutcomePayload(p)!.rolloutIds)).toEqual(ids);
  });

  test("anything else is ignored", () => {
    expect(parseOutcomePayload(undefined)).toBeNull();
    expect(parseOutcomePayload("no-colon")).toBeNull();
    expect(parseOutcomePayload(":a,b")).toBeNull();
    expect(parseOutcomePayload("origin:")).toBeNull();
  });
});
