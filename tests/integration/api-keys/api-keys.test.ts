/**
 * API keys on a real Postgres: the admin use cases (create shows the key once and stores only its
 * hash, list never shows either, revoke), what the keys then do on the service APIs (every
 * endpoint resolves keys through the snapshot store: the evaluate fast route, the events route
 * and the management API through `authenticateApiKey`; one revocation refuses the key on all of
 * them at once), refusals
 * (wrong scope 403, revoked or unknown 401, non-admin 403 with nothing written, bad bodies 400 or
 * 404 with field paths and nothing written), and audit records that never hold a secret.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { GET as listRoute, POST as createRoute } from "@/app/api/v1/api-keys/route";
import { DELETE as revokeRoute } from "@/app/api/v1/api-keys/[id]/route";
import { POST as eventsRoute } from "@/app/api/v1/events/route";
import { GET as listFlagsRoute } from "@/app/api/v1/flags/route";
import { createApiKeyBodySchema, DEFAULT_API_KEY_RATE_LIMIT, type CreateApiKeyInput } from "@/lib/schemas/api-keys";
import type { Actor } from "@/lib/server/auth/actor";
import { hashApiKey } from "@/lib/server/auth/api-keys";
import { db } from "@/lib/server/db";
import { authenticateApiKey } from "@/lib/server/evaluation/api-key-lookup";
import { sharedSnapshotStore } from "@/lib/server/evaluation/shared";
import type { SnapshotStore } from "@/lib/server/evaluation/snapshot-store";
import { problemFromError } from "@/lib/server/http/problem";
import { zodProblem } from "@/lib/server/http/zod-problem";
import { verifyAuditChain } from "@/lib/server/services/audit";
import { createApiKey, getApiKey, listApiKeys, revokeApiKey } from "@/lib/server/services/api-keys";
import { createTestUser, ctx } from "../helpers/actors";
import { bearer, postJson, startTestServer, testStore, waitFor, type TestServer } from "../evaluation/server";
import { createFlag } from "../evaluation/fixtures";
import { createTestEnvironment } from "../rollouts/fixtures";

type Env = Awaited<ReturnType<typeof createTestEnvironment>>;
let env: Env;
let other: Env;
let admin: Actor;
let store: SnapshotStore;
let server: TestServer;
let evaluateUrl: string;

beforeAll(async () => {
  env = await createTestEnvironment("keys");
  other = await createTestEnvironment("keys-other");
  admin = await createTestUser(["admin"]);
  await createFlag(env.id, { key: "bot.model" });
  store = testStore();
  await store.start();
  server = await startTestServer(store);
  evaluateUrl = `${server.url}/api/v1/evaluate`;
});

afterAll(async () => {
  await server?.close();
  await store?.stop();
  await sharedSnapshotStore().stop();
});

function make(input: Partial<CreateApiKeyInput> = {}, actor: Actor = admin) {
  return createApiKey(actor, createApiKeyBodySchema.parse({ environment: env.key, name: "checkout service", scopes: ["evaluate"], ...input }), ctx());
}

/** What the route answers for a body, without the session part: the same parse and error mapping. */
async function problemFor(body: unknown) {
  const parsed = createApiKeyBodySchema.safeParse(body);
  try {
    if (!parsed.success) throw zodProblem(parsed.error, "body");
    await createApiKey(admin, parsed.data, ctx());
  } catch (error) {
    return problemFromError(error, "test") as { status: number; code: string; details?: { errors: { path: string; message: string }[] } };
  }
  throw new Error("expected a refusal");
}

/** Counts of what a refused request must not have written. */
async function writes() {
  const [keys, audits, environment] = await Promise.all([
    db.apiKey.count(),
    db.auditRecord.count({ where: { resourceType: "api_key" } }),
    db.environment.findUniqueOrThrow({ where: { id: env.id }, select: { configVersion: true } }),
  ]);
  return { keys, audits, version: environment.configVersion };
}

async function callRoute(handler: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>, url: string, init: RequestInit, params: Record<string, string> = {}) {
  const res = await handler(new Request(`http://localhost${url}`, { ...init, headers: { "content-type": "application/json", ...init.headers } }), { params: Promise.resolve(params) });
  return { status: res.status, json: res.status === 204 ? null : await res.json() };
}

describe("create", () => {
  test("returns the key once with its id; only the SHA-256 is stored, and the config version moves", async () => {
    const versionBefore = (await writes()).version;
    const created = await make({ scopes: ["evaluate", "ingest", "evaluate"], rateLimitPerSecond: 250 });
    expect(created.key).toMatch(/^rg_[A-Za-z0-9_-]{32}$/);
    expect(created).toMatchObject({
      id: expect.any(String),
      name: "checkout service",
      prefix: created.key.slice(0, 10),
      scopes: ["evaluate", "ingest"],
      rateLimitPerSecond: 250,
      environment: { id: env.id, key: env.key },
      state: "active",
      lastUsedAt: null,
      revokedAt: null,
      createdBy: { id: admin.id, label: expect.stringContaining(admin.label) },
    });
    expect(created).not.toHaveProperty("keyHash");

    const row = await db.apiKey.findUniqueOrThrow({ where: { id: created.id }, omit: { keyHash: false } });
    expect(row.keyHash).toBe(hashApiKey(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key);
    expect(row.createdById).toBe(admin.id);
    expect((await writes()).version).toBe(versionBefore + 1n);

    // Never shown again: reading the key back gives everything but the key.
    const again = await getApiKey(admin, created.id);
    expect(again).not.toHaveProperty("key");
    expect(JSON.stringify(again)).not.toContain(created.key);
  });

  test("without a rate limit, the column default applies (the constant the UI shows agrees)", async () => {
    const created = await make({ name: "default limit" });
    expect(created.rateLimitPerSecond).toBe(DEFAULT_API_KEY_RATE_LIMIT);
  });
});

describe("list", () => {
  test("shows name, prefix, scopes, limit, creator, last use and state; never the key or its hash", async () => {
    const a = await make({ name: "list a" });
    const b = await make({ name: "list b", scopes: ["manage"] });
    const elsewhere = await createApiKey(admin, createApiKeyBodySchema.parse({ environment: other.key, name: "other env", scopes: ["ingest"] }), ctx());
    await revokeApiKey(admin, b.id, ctx());

    const listed = await listApiKeys(admin, { environment: env.key });
    const ids = listed.map((k) => k.id);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(ids).not.toContain(elsewhere.id);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id)); // newest first
    expect(listed.find((k) => k.id === a.id)).toMatchObject({ state: "active", lastUsedAt: null, revokedAt: null, prefix: a.prefix, createdBy: { id: admin.id } });
    expect(listed.find((k) => k.id === b.id)).toMatchObject({ state: "revoked", revokedAt: expect.any(Date), scopes: ["manage"] });

    const everything = await listApiKeys(admin);
    expect(everything.map((k) => k.id)).toEqual(expect.arrayContaining([a.id, b.id, elsewhere.id]));
    const text = JSON.stringify(everything);
    for (const k of [a, b, elsewhere]) {
      expect(text).not.toContain(k.key);
      expect(text).not.toContain(hashApiKey(k.key));
    }
    expect(everything.every((k) => !("keyHash" in k) && !("key" in k))).toBe(true);
  });

  test("an unknown environment → 404 naming the field", async () => {
    const refusal = await listApiKeys(admin, { environment: "no-such-env" }).catch((e) => problemFromError(e, "t"));
    expect(refusal).toMatchObject({ status: 404, details: { errors: [{ path: "environment" }] } });
  });
});

describe("the keys on the service APIs", () => {
  test("a new key evaluates at once; after revoke it gets 401 (fast route and authenticateApiKey); last use is recorded", async () => {
    const created = await make({ name: "evaluate then revoke" });
    // The service announced the change: the store picks the key up without a poll.
    await waitFor(() => store.resolveKey(created.key) !== null);
    const ok = await postJson(evaluateUrl, { context: { userId: "u1" } }, bearer(created.key));
    expect(ok.status).toBe(200);
    expect(ok.json.flags["bot.model"]).toMatchObject({ variant: "gpt-4o" });
    expect((await postJson(evaluateUrl, { context: { userId: "u1" } }, { "x-api-key": created.key })).status).toBe(200);
    expect(await authenticateApiKey(created.key)).toMatchObject({ id: created.id, scopes: ["evaluate"], environmentId: env.id });

    expect(await server.keyUsage.flush(db)).toBeGreaterThanOrEqual(1);
    const used = (await listApiKeys(admin, { environment: env.key })).find((k) => k.id === created.id)!;
    expect(used.lastUsedAt).toBeInstanceOf(Date);

    const revoked = await revokeApiKey(admin, created.id, ctx());
    expect(revoked).toMatchObject({ id: created.id, state: "revoked", revokedAt: expect.any(Date) });
    expect(revoked).not.toHaveProperty("key");
    // This process's stores reloaded the keys before the revocation answered: no wait.
    expect(await authenticateApiKey(created.key)).toMatchObject({ status: 401, detail: "Unknown or revoked API key." });
    expect(store.resolveKey(created.key)).toBeNull();
    const refused = await postJson(evaluateUrl, { context: { userId: "u1" } }, bearer(created.key));
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ code: "unauthenticated" });
  });

  test("the events route (authenticateApiKey): ingest key accepted, evaluate key 403, revoked key 401", async () => {
    const ingest = await make({ name: "ingest", scopes: ["ingest"] });
    const evaluate = await make({ name: "evaluate only" });
    const send = (key: string) => callRoute(eventsRoute, "/api/v1/events", { method: "POST", headers: bearer(key), body: JSON.stringify({ events: [] }) });

    expect((await send(ingest.key)).status).toBe(200);
    const wrongScope = await send(evaluate.key);
    expect(wrongScope.status).toBe(403);
    expect(wrongScope.json.code).toBe("forbidden");

    await revokeApiKey(admin, ingest.id, ctx());
    const revoked = await send(ingest.key);
    expect(revoked.status).toBe(401);
    expect(revoked.json).toMatchObject({ code: "unauthenticated", detail: "Unknown or revoked API key." });
    expect((await send("rg_never-issued")).status).toBe(401);
  });

  test("one revocation refuses the key at once on evaluate, events and the management API", async () => {
    const key = await make({ name: "everything", scopes: ["evaluate", "ingest", "manage"] });
    const evaluate = () => postJson(evaluateUrl, { context: { userId: "u1" } }, bearer(key.key));
    const ingest = () => callRoute(eventsRoute, "/api/v1/events", { method: "POST", headers: bearer(key.key), body: JSON.stringify({ events: [] }) });
    const manage = () => callRoute(listFlagsRoute, `/api/v1/flags?environment=${env.key}`, { method: "GET", headers: bearer(key.key) });
    expect([(await evaluate()).status, (await ingest()).status, (await manage()).status]).toEqual([200, 200, 200]);

    await revokeApiKey(admin, key.id, ctx());
    const refused = [await evaluate(), await ingest(), await manage()];
    expect(refused.map((r) => r.status)).toEqual([401, 401, 401]);
    for (const r of refused) expect(r.json).toMatchObject({ code: "unauthenticated", detail: "Unknown or revoked API key." });
  });

  test("a key without the evaluate scope → 403 on evaluate", async () => {
    const ingest = await make({ name: "ingest only", scopes: ["ingest"] });
    await waitFor(() => store.resolveKey(ingest.key) !== null);
    const res = await postJson(evaluateUrl, { context: { userId: "u1" } }, bearer(ingest.key));
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ code: "forbidden", detail: expect.stringContaining("evaluate") });
  });

  test("keys cannot manage keys: the admin routes refuse any API key with 403 and write nothing", async () => {
    const manage = await make({ name: "manage", scopes: ["manage", "evaluate", "ingest"] });
    const before = await writes();
    const created = await callRoute(createRoute, "/api/v1/api-keys", {
      method: "POST",
      headers: bearer(manage.key),
      body: JSON.stringify({ environment: env.key, name: "sneaky", scopes: ["evaluate"] }),
    });
    expect(created.status).toBe(403);
    expect(JSON.stringify(created.json)).not.toMatch(/rg_/);
    const listed = await callRoute(listRoute, "/api/v1/api-keys", { method: "GET", headers: { "x-api-key": manage.key } });
    expect(listed.status).toBe(403);
    const revoked = await callRoute(revokeRoute, `/api/v1/api-keys/${manage.id}`, { method: "DELETE", headers: bearer(manage.key) }, { id: manage.id });
    expect(revoked.status).toBe(403);
    expect(await writes()).toEqual(before);
    expect((await getApiKey(admin, manage.id)).state).toBe("active");
  });
});

describe("refusals write nothing", () => {
  test.each<[string, Record<string, unknown>, string]>([
    ["no scopes", { scopes: [] }, "scopes"],
    ["an unknown scope", { scopes: ["evaluate", "superuser"] }, "scopes.1"],
    ["an empty name", { name: "   " }, "name"],
    ["no name", { name: undefined }, "name"],
    ["a rate limit of 0", { rateLimitPerSecond: 0 }, "rateLimitPerSecond"],
    ["a rate limit over 100000", { rateLimitPerSecond: 100_001 }, "rateLimitPerSecond"],
    ["a fractional rate limit", { rateLimitPerSecond: 1.5 }, "rateLimitPerSecond"],
    ["a malformed environment key", { environment: "Not A Key" }, "environment"],
  ])("%s → 400 with the field path", async (_what, patch, path) => {
    const before = await writes();
    const problem = await problemFor({ environment: env.key, name: "bad", scopes: ["evaluate"], ...patch });
    expect(problem).toMatchObject({ status: 400, code: "invalid_input" });
    expect(problem.details?.errors.map((e) => e.path)).toContain(path);
    expect(await writes()).toEqual(before);
  });

  test("an unknown member → 400 (strict body)", async () => {
    const problem = await problemFor({ environment: env.key, name: "bad", scopes: ["evaluate"], keyHash: "x" });
    expect(problem).toMatchObject({ status: 400, code: "invalid_input" });
    expect(JSON.stringify(problem.details)).toContain("keyHash");
  });

  test("an unknown environment → 404 naming the field", async () => {
    const before = await writes();
    const problem = await problemFor({ environment: "no-such-env", name: "bad", scopes: ["evaluate"] });
    expect(problem).toMatchObject({ status: 404, code: "not_found", details: { errors: [{ path: "environment" }] } });
    expect(await writes()).toEqual(before);
  });

  test.each<[string, ("viewer" | "operator" | "reviewer")[]]>([
    ["viewer", ["viewer"]],
    ["operator", ["operator"]],
    ["reviewer + operator", ["reviewer", "operator"]],
  ])("a %s cannot list, create or revoke → 403, nothing written", async (_who, roles) => {
    const user = await createTestUser(roles);
    const victim = await make({ name: `victim of ${roles.join("+")}` });
    const before = await writes();
    const asProblem = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e) => problemFromError(e, "t"),
      );
    expect(await asProblem(make({ name: "not allowed" }, user))).toMatchObject({ status: 403, code: "forbidden", details: { permission: "api_key.manage" } });
    expect(await asProblem(revokeApiKey(user, victim.id, ctx()))).toMatchObject({ status: 403 });
    expect(await asProblem(listApiKeys(user))).toMatchObject({ status: 403 });
    expect(await writes()).toEqual(before);
    expect((await getApiKey(admin, victim.id)).state).toBe("active");
  });

  test("revoking an unknown key → 404; revoking twice changes nothing the second time", async () => {
    expect(await revokeApiKey(admin, "00000000-0000-4000-8000-000000000000", ctx()).catch((e) => problemFromError(e, "t"))).toMatchObject({ status: 404 });
    const k = await make({ name: "revoke twice" });
    const first = await revokeApiKey(admin, k.id, ctx());
    const before = await writes();
    const second = await revokeApiKey(admin, k.id, ctx());
    expect(second.revokedAt).toEqual(first.revokedAt);
    expect(await writes()).toEqual(before);
  });
});

describe("audit", () => {
  test("create and revoke are audited in their transaction, by the admin, with no secret anywhere; the chain verifies", async () => {
    const k = await make({ name: "audited", scopes: ["evaluate", "ingest"], rateLimitPerSecond: 42 });
    await revokeApiKey(admin, k.id, ctx());
    const records = await db.auditRecord.findMany({ where: { resourceType: "api_key", resourceId: k.id }, orderBy: { id: "asc" } });
    expect(records.map((r) => r.action)).toEqual(["api_key.create", "api_key.revoke"]);
    for (const r of records) {
      expect(r).toMatchObject({ actorType: "user", actorId: admin.id, environmentId: env.id });
      const text = JSON.stringify({ ...r, id: r.id.toString() });
      expect(text).not.toContain(k.key);
      expect(text).not.toContain(hashApiKey(k.key));
    }
    expect(records[0].after).toEqual({ name: "audited", prefix: k.prefix, scopes: ["evaluate", "ingest"], rateLimitPerSecond: 42, environment: env.key, state: "active" });
    expect(records[1].before).toMatchObject({ state: "active" });
    expect(records[1].after).toMatchObject({ state: "revoked" });
    expect(await verifyAuditChain()).toMatchObject({ valid: true });
  });
});
