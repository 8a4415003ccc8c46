/**
 * What a production service and a release manager's script do over HTTP, shared by the specs:
 * create a model flag, mint API keys, create and command rollouts, ask for assignments.
 */
import type { APIRequestContext } from "@playwright/test";
import { expect } from "../fixtures";

export const ENV = "production";

/** A suffix no other test (or earlier run against the same database) has used. */
export const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export const MODEL_PAYLOADS: Record<string, Record<string, unknown>> = {
  "gpt-4o": { provider: "openai", model: "gpt-4o" },
  "gpt-4.1": { provider: "openai", model: "gpt-4.1" },
  "claude-sonnet-4": { provider: "anthropic", model: "claude-sonnet-4" },
  "gpt-4o-mini": { provider: "openai", model: "gpt-4o-mini" },
};

/** A model flag whose default and fallback are the first variant. */
export async function createModelFlag(api: APIRequestContext, key: string, variants: string[] = ["gpt-4o", "gpt-4.1"], description = ""): Promise<void> {
  const res = await api.post("/api/v1/flags", {
    data: {
      environment: ENV,
      key,
      kind: "model",
      description,
      variants: variants.map((v) => ({ key: v, payload: MODEL_PAYLOADS[v] ?? { provider: "openai", model: v } })),
      defaultVariant: variants[0],
      fallbackVariant: variants[0],
    },
  });
  expect(res.status(), await res.text()).toBe(201);
}

export async function createApiKey(api: APIRequestContext, scopes: ("evaluate" | "ingest" | "manage")[]): Promise<string> {
  const res = await api.post("/api/v1/api-keys", { data: { environment: ENV, name: `e2e ${scopes.join("+")} ${uid()}`, scopes } });
  expect(res.status(), await res.text()).toBe(201);
  const body = (await res.json()) as { key: string };
  expect(body.key).toMatch(/^rg_/);
  return body.key;
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export interface RolloutBody {
  flagKey: string;
  strategy: "shadow" | "canary" | "ab_test" | "blue_green";
  controlVariant: string;
  treatmentVariant: string;
  stages?: Record<string, unknown>[];
  autoAdvance?: boolean;
}

export async function createRollout(api: APIRequestContext, body: RolloutBody, headers: Record<string, string> = {}): Promise<{ id: string; version: number }> {
  const res = await api.post("/api/v1/rollouts", { headers, data: { environment: ENV, ...body } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string; version: number };
}

export async function rolloutCommand(api: APIRequestContext, id: string, name: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return api.post(`/api/v1/rollouts/${id}/${name}`, { headers, data: body });
}

export async function startRollout(api: APIRequestContext, id: string): Promise<void> {
  const res = await rolloutCommand(api, id, "start", { comment: "e2e" });
  expect(res.status(), await res.text()).toBe(200);
}

export interface Served {
  variant: string;
  reason: string;
  rollout?: { id: string; stage: number; arm: string };
}

/** What each of `users` is served now, asked the way a service asks. */
export async function servedTo(request: APIRequestContext, evaluateKey: string, flagKey: string, users: string[]): Promise<Served[]> {
  return Promise.all(
    users.map(async (userId) => {
      const res = await request.post("/api/v1/evaluate", { headers: bearer(evaluateKey), data: { context: { userId }, flags: [flagKey] } });
      expect(res.status()).toBe(200);
      return ((await res.json()) as { flags: Record<string, Served> }).flags[flagKey]!;
    }),
  );
}

export interface RunningCanary {
  flagKey: string;
  rolloutId: string;
  evaluateKey: string;
  ingestKey: string;
}

/**
 * A fresh model flag (gpt-4o → gpt-4.1) with a started canary of `stages`, and the evaluate and
 * ingest keys a service (or the simulator) needs. `before` runs after the flag exists and before
 * the rollout is created (e.g. to register a webhook).
 */
export async function runningCanary(
  api: APIRequestContext,
  prefix: string,
  stages: Record<string, unknown>[],
  opts: { autoAdvance?: boolean; before?: (flagKey: string) => Promise<void> } = {},
): Promise<RunningCanary> {
  const flagKey = `${prefix}-${uid()}.model`;
  await createModelFlag(api, flagKey, ["gpt-4o", "gpt-4.1"]);
  await opts.before?.(flagKey);
  const [evaluateKey, ingestKey] = [await createApiKey(api, ["evaluate"]), await createApiKey(api, ["ingest"])];
  const rollout = await createRollout(api, { flagKey, strategy: "canary", controlVariant: "gpt-4o", treatmentVariant: "gpt-4.1", autoAdvance: opts.autoAdvance, stages });
  await startRollout(api, rollout.id);
  return { flagKey, rolloutId: rollout.id, evaluateKey, ingestKey };
}
