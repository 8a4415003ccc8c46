/**
 * Rollouts over HTTP only, with a `manage` API key: a blue-green switch, rollback and finalize,
 * checking what `/api/v1/evaluate` serves to a population of users after every step.
 */
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "../fixtures";
import { createApiKey, createModelFlag, uid } from "../helpers/service";

const ENV = "production";
const USERS = Array.from({ length: 120 }, (_, i) => `user-${i}`);
const BLUE = "gpt-4o";
const GREEN = "gpt-4.1";

type Served = { variant: string; reason: string; rollout?: { id: string; stage: number; arm: string } };

/** What each user is served now, asked the way a service asks. */
async function servedToAll(request: APIRequestContext, key: string, flagKey: string): Promise<Served[]> {
  return Promise.all(
    USERS.map(async (userId) => {
      const res = await request.post("/api/v1/evaluate", {
        headers: { authorization: `Bearer ${key}` },
        data: { context: { userId }, flags: [flagKey] },
      });
      expect(res.status()).toBe(200);
      return ((await res.json()) as { flags: Record<string, Served> }).flags[flagKey]!;
    }),
  );
}

/** Polls briefly (≤ 2 s) for propagation to the in-memory snapshot, then asserts. */
async function expectEveryone(request: APIRequestContext, key: string, flagKey: string, check: (s: Served) => boolean): Promise<Served[]> {
  let last: Served[] = [];
  await expect
    .poll(
      async () => {
        last = await servedToAll(request, key, flagKey);
        return last.every(check);
      },
      { timeout: 2_000, intervals: [100, 200, 300] },
    )
    .toBe(true);
  return last;
}

function command(request: APIRequestContext, key: string, id: string, name: string, body: Record<string, unknown> = {}) {
  return request.post(`/api/v1/rollouts/${id}/${name}`, { headers: { authorization: `Bearer ${key}` }, data: body });
}

const BLUE_GREEN_STAGES = [
  { trafficBasisPoints: 0, shadowSampleBasisPoints: 1000, minBakeSeconds: 0, minSamplesPerArm: 0 },
  { trafficBasisPoints: 10_000, minBakeSeconds: 0, minSamplesPerArm: 0 },
];

async function createBlueGreen(request: APIRequestContext, manageKey: string, flagKey: string): Promise<{ id: string; version: number }> {
  const res = await request.post("/api/v1/rollouts", {
    headers: { authorization: `Bearer ${manageKey}` },
    data: { environment: ENV, flagKey, strategy: "blue_green", controlVariant: BLUE, treatmentVariant: GREEN, stages: BLUE_GREEN_STAGES },
  });
  expect(res.status(), await res.text()).toBe(201);
  const body = (await res.json()) as { id: string; version: number; state: string; stages: { status: string }[] };
  expect(body.state).toBe("draft");
  expect(body.stages.map((s) => s.status)).toEqual(["next", "next"]);
  return body;
}

test("blue-green: warm-up keeps blue, the switch moves everyone to green, rollback returns everyone to blue", async ({ adminApi, request }) => {
  const flagKey = `e2e-bg-${uid()}.model`;
  await createModelFlag(adminApi.request, flagKey);
  const evaluateKey = await createApiKey(adminApi.request, ["evaluate"]);
  const manageKey = await createApiKey(adminApi.request, ["manage"]);
  const { id } = await createBlueGreen(request, manageKey, flagKey);

  // Draft: nothing changes.
  await expectEveryone(request, evaluateKey, flagKey, (s) => s.variant === BLUE && s.reason === "DEFAULT" && !s.rollout);

  // Start: the green warm-up serves blue to everyone, decided by the rollout (shadow copies go to green).
  let res = await command(request, manageKey, id, "start", { expectedVersion: 0 });
  expect(res.status(), await res.text()).toBe(200);
  expect(await res.json()).toMatchObject({ state: "running", currentStageIndex: 0, version: 1 });
  await expectEveryone(request, evaluateKey, flagKey, (s) => s.variant === BLUE && s.rollout?.id === id && s.rollout.arm === "control");

  // Switch: all traffic to green at once; blue stays ready.
  res = await command(request, manageKey, id, "promote", { comment: "green healthy", expectedVersion: 1 });
  expect(res.status(), await res.text()).toBe(200);
  const switched = await res.json();
  expect(switched).toMatchObject({ currentStageIndex: 1, rollout: { servedSplit: { trafficBasisPoints: 10_000 } } });
  await expectEveryone(request, evaluateKey, flagKey, (s) => s.variant === GREEN && s.rollout?.arm === "treatment" && s.rollout.stage === 1);

  // A stale view is refused (412) and changes nothing.
  res = await command(request, manageKey, id, "rollback", { expectedVersion: 1 });
  expect(res.status()).toBe(412);
  expect(await res.json()).toMatchObject({ code: "precondition_failed", details: { currentVersion: 2 } });

  // Rollback: everyone back on blue, decided by the flag's default again.
  res = await command(request, manageKey, id, "rollback", { comment: "latency regression", expectedVersion: 2 });
  expect(res.status(), await res.text()).toBe(200);
  expect(await res.json()).toMatchObject({ state: "rolled_back", summary: "Rolled back: 100% of traffic returns to control" });
  await expectEveryone(request, evaluateKey, flagKey, (s) => s.variant === BLUE && s.reason === "DEFAULT" && !s.rollout);

  // Ended: every further command is refused with the allowed list (none).
  res = await command(request, manageKey, id, "resume");
  expect(res.status()).toBe(409);
  expect(await res.json()).toMatchObject({ details: { reason: "invalid_transition", allowed: [] } });

  const detail = await (await request.get(`/api/v1/rollouts/${id}`, { headers: { authorization: `Bearer ${manageKey}` } })).json();
  expect(detail.history.map((h: { command: string }) => h.command)).toEqual(["create", "start", "promote", "rollback"]);
  expect(detail.history[3]).toMatchObject({ comment: "latency regression" });
});

test("blue-green finalized: green becomes the flag's default and keeps serving after the rollout ends", async ({ adminApi, request }) => {
  const flagKey = `e2e-bgf-${uid()}.model`;
  await createModelFlag(adminApi.request, flagKey);
  const evaluateKey = await createApiKey(adminApi.request, ["evaluate"]);
  const manageKey = await createApiKey(adminApi.request, ["manage"]);
  const { id } = await createBlueGreen(request, manageKey, flagKey);

  for (const [name, state] of [
    ["start", "running"],
    ["promote", "running"],
    ["promote", "completed"],
  ] as const) {
    const res = await command(request, manageKey, id, name);
    expect(res.status(), await res.text()).toBe(200);
    expect((await res.json()).state).toBe(state);
  }
  await expectEveryone(request, evaluateKey, flagKey, (s) => s.variant === GREEN && s.reason === "DEFAULT" && !s.rollout);

  // A second rollout on the same flag starts from the new default.
  const res = await request.post("/api/v1/rollouts", {
    headers: { authorization: `Bearer ${manageKey}` },
    data: { environment: ENV, flagKey, strategy: "canary", controlVariant: BLUE, treatmentVariant: GREEN },
  });
  expect(res.status()).toBe(400);
  expect((await res.json()).detail).toMatch(/serves by default today \(gpt-4\.1\)/);
});

test("the rollouts API refuses an evaluate key, a viewer session, and bad input", async ({ adminApi, makeUser, apiAs, request }) => {
  const flagKey = `e2e-acl-${uid()}.model`;
  await createModelFlag(adminApi.request, flagKey);
  const evaluateKey = await createApiKey(adminApi.request, ["evaluate"]);

  const asKey = await request.get(`/api/v1/rollouts?environment=${ENV}`, { headers: { authorization: `Bearer ${evaluateKey}` } });
  expect(asKey.status()).toBe(403);

  const viewer = await apiAs(await makeUser(["viewer"]));
  const create = await viewer.request.post("/api/v1/rollouts", {
    data: { environment: ENV, flagKey, strategy: "canary", controlVariant: BLUE, treatmentVariant: GREEN },
  });
  expect(create.status()).toBe(403);
  expect((await viewer.request.get(`/api/v1/rollouts?environment=${ENV}&flagKey=${flagKey}`)).status()).toBe(200);

  const bad = await adminApi.request.post("/api/v1/rollouts", {
    data: { environment: ENV, flagKey, strategy: "canary", controlVariant: BLUE, treatmentVariant: BLUE, stages: [{ trafficBasisPoints: 500, minBakeSeconds: 0, minSamplesPerArm: 0 }] },
  });
  expect(bad.status()).toBe(400);
  const paths = ((await bad.json()).details.errors as { path: string }[]).map((e) => e.path);
  expect(paths).toEqual(expect.arrayContaining(["treatmentVariant", "stages"]));

  const unknown = await adminApi.request.post("/api/v1/rollouts/00000000-0000-0000-0000-000000000000/launch", { data: {} });
  expect(unknown.status()).toBe(400);
});
