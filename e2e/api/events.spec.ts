/**
 * POST /api/v1/events over HTTP as a service sends it: a partial batch keeps its valid events and
 * names the invalid ones, a replayed batch counts nothing twice, oversize batches get 413, and a
 * key of the wrong scope (or none) is refused.
 */
import { expect, test } from "../fixtures";
import { bearer, createApiKey, createModelFlag, uid } from "../helpers/service";

const event = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  timestamp: new Date().toISOString(),
  flagKey: "events-spec.model",
  variant: "gpt-4o",
  model: "gpt-4o",
  latencyMs: 420,
  inputTokens: 900,
  outputTokens: 250,
  success: true,
  ...extra,
});

test("a partial batch keeps the valid events, rejects each invalid one with its index and reasons; a replay changes nothing", async ({ adminApi, request }) => {
  await createModelFlag(adminApi.request, `events-spec-${uid()}.model`);
  const ingest = await createApiKey(adminApi.request, ["ingest"]);
  const run = uid();
  const batch = [
    event(`${run}-0`),
    event(`${run}-1`, { latencyMs: -5 }),
    event(`${run}-2`, { success: "yes" }),
    event(`${run}-3`, { feedback: 1, qualityScore: 0.9 }),
    event(`${run}-4`, { typoField: true }),
  ];
  const first = await request.post("/api/v1/events", { headers: bearer(ingest), data: { events: batch } });
  expect(first.status()).toBe(200);
  const body = (await first.json()) as { accepted: number; duplicates: number; rejected: { index: number; errors: string[] }[] };
  expect(body.accepted).toBe(2);
  expect(body.duplicates).toBe(0);
  expect(body.rejected.map((r) => r.index)).toEqual([1, 2, 4]);
  expect(body.rejected[0]!.errors.join(" ")).toContain("latencyMs");
  expect(body.rejected[1]!.errors.join(" ")).toContain("success");
  expect(body.rejected[2]!.errors.join(" ")).toContain("typoField");

  const replay = await request.post("/api/v1/events", { headers: bearer(ingest), data: { events: batch } });
  expect(await replay.json()).toMatchObject({ accepted: 0, duplicates: 2 });
});

test("more than 1,000 events, or a body over 1 MiB, is refused with 413 and stores nothing", async ({ adminApi, request }) => {
  const ingest = await createApiKey(adminApi.request, ["ingest"]);
  const run = uid();
  const tooMany = Array.from({ length: 1001 }, (_, i) => event(`${run}-many-${i}`));
  const many = await request.post("/api/v1/events", { headers: bearer(ingest), data: { events: tooMany } });
  expect(many.status()).toBe(413);
  expect((await many.json()).detail).toMatch(/1,?000/);

  const huge = [event(`${run}-huge`, { attributes: { note: "x".repeat(4000) } })];
  const padded = { events: Array.from({ length: 300 }, (_, i) => ({ ...huge[0], id: `${run}-huge-${i}` })) };
  const big = await request.post("/api/v1/events", { headers: bearer(ingest), data: padded });
  expect(big.status()).toBe(413);

  // Neither batch stored anything: sending one of their events again is new, not a duplicate.
  const after = await request.post("/api/v1/events", { headers: bearer(ingest), data: { events: [tooMany[0], padded.events[0]] } });
  expect(await after.json()).toMatchObject({ accepted: 2, duplicates: 0 });
});

test("an evaluate-only key gets 403, an unknown key 401, and no key 401", async ({ adminApi, request }) => {
  const evaluate = await createApiKey(adminApi.request, ["evaluate"]);
  const data = { events: [event(`${uid()}-scope`)] };
  expect((await request.post("/api/v1/events", { headers: bearer(evaluate), data })).status()).toBe(403);
  expect((await request.post("/api/v1/events", { headers: bearer("rg_not-a-real-key"), data })).status()).toBe(401);
  expect((await request.post("/api/v1/events", { data })).status()).toBe(401);
});
