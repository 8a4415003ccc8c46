/**
 * Read-your-writes on the instance that accepted a change: the answer to a management write is
 * sent only once this instance's evaluation serves it, so the very next evaluate request — no
 * sleep, no retry — sees a created flag, a kill switch, a rollout command and a revoked key.
 */
import { expect, test } from "../fixtures";
import { bearer, createApiKey, createModelFlag, ENV, uid } from "../helpers/service";

const ROUNDS = 10;

test("every write is visible to the next evaluate request on the same instance", async ({ adminApi, request }) => {
  const evaluateKey = await createApiKey(adminApi.request, ["evaluate"]);
  const evaluate = async (flag: string) => {
    const res = await request.post("/api/v1/evaluate", { headers: bearer(evaluateKey), data: { context: { userId: "u-1" }, flags: [flag] } });
    expect(res.status()).toBe(200);
    return ((await res.json()) as { flags: Record<string, { variant?: string; reason?: string; error?: string }> }).flags[flag];
  };

  for (let round = 0; round < ROUNDS; round++) {
    const key = `ryw-${uid()}.model`;
    await createModelFlag(adminApi.request, key, ["gpt-4o", "gpt-4.1"]);
    expect(await evaluate(key)).toMatchObject({ variant: "gpt-4o" });

    const patched = await adminApi.request.patch(`/api/v1/flags/${key}?environment=${ENV}`, { data: { defaultVariant: "gpt-4.1", expectedVersion: 1 } });
    expect(patched.status(), await patched.text()).toBe(200);
    expect(await evaluate(key)).toMatchObject({ variant: "gpt-4.1" });

    const killed = await adminApi.request.post(`/api/v1/flags/${key}/kill-switch?environment=${ENV}`, { data: { enabled: true, reason: "read-your-writes check" } });
    expect(killed.status(), await killed.text()).toBe(200);
    expect(await evaluate(key)).toMatchObject({ variant: "gpt-4o", reason: "KILL_SWITCH" });
  }
});

test("a revoked API key is refused by the next evaluate request", async ({ adminApi, request }) => {
  for (let round = 0; round < ROUNDS; round++) {
    const created = await adminApi.request.post("/api/v1/api-keys", { data: { environment: ENV, name: `ryw ${uid()}`, scopes: ["evaluate"] } });
    expect(created.status()).toBe(201);
    const { id, key } = (await created.json()) as { id: string; key: string };
    const ok = await request.post("/api/v1/evaluate", { headers: bearer(key), data: { context: {} } });
    expect(ok.status()).toBe(200);

    const revoked = await adminApi.request.delete(`/api/v1/api-keys/${id}`);
    expect(revoked.status(), await revoked.text()).toBeLessThan(300);
    const refused = await request.post("/api/v1/evaluate", { headers: bearer(key), data: { context: {} } });
    expect(refused.status()).toBe(401);
  }
});
