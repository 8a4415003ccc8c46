/**
 * With the database gone (the app's one Prisma client points at a TCP proxy the test cuts), the
 * management API and ingestion answer 503 problem+json `unavailable` with Retry-After, while
 * evaluation keeps answering from memory; with the database back, everything answers again.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { GET as listFlagsRoute } from "@/app/api/v1/flags/route";
import { resetEnvCache } from "@/lib/env";
import { db } from "@/lib/server/db";
import { sharedSnapshotStore } from "@/lib/server/evaluation/shared";
import { postEvents } from "@/lib/server/services/metrics/events-endpoint";
import { clearSingleton } from "@/lib/server/singleton";
import { createApiKey, createEnvironment, createFlag } from "./evaluation/fixtures";
import { bearer, postJson, startTestServer, testStore, type TestServer } from "./evaluation/server";
import { startTcpProxy, type TcpProxy } from "./evaluation/tcp-proxy";
import { testDatabaseUrl } from "./helpers/db";
import type { SnapshotStore } from "@/lib/server/evaluation/snapshot-store";

let proxy: TcpProxy;
let store: SnapshotStore;
let server: TestServer;
let env: Awaited<ReturnType<typeof createEnvironment>>;
let manageKey: string;
let ingestKey: string;
let evaluateKey: string;
const flagKey = `outage-${Date.now()}.model`;

async function pointAppAt(url: string | undefined) {
  await db.$disconnect().catch(() => undefined);
  clearSingleton("prisma");
  process.env.DATABASE_URL = url;
  resetEnvCache();
}

beforeAll(async () => {
  env = await createEnvironment("outage");
  manageKey = (await createApiKey(env.id, { scopes: ["manage"] })).key;
  ingestKey = (await createApiKey(env.id, { scopes: ["ingest"] })).key;
  evaluateKey = (await createApiKey(env.id, { scopes: ["evaluate"] })).key;
  await createFlag(env.id, { key: flagKey });
  proxy = await startTcpProxy(testDatabaseUrl());
  await pointAppAt(proxy.url);
  store = testStore();
  await store.start();
  server = await startTestServer(store);
});

afterAll(async () => {
  await server?.close();
  await store?.stop();
  await sharedSnapshotStore().stop();
  await pointAppAt(testDatabaseUrl());
  await proxy?.stop();
});

const call = async (handler: (r: Request) => Promise<Response>, url: string, init: RequestInit & { key: string }) => {
  const res = await handler(new Request(`http://localhost${url}`, { ...init, headers: { authorization: `Bearer ${init.key}`, "content-type": "application/json" } }));
  return { status: res.status, retryAfter: res.headers.get("retry-after"), type: res.headers.get("content-type"), body: await res.text() };
};

const listFlags = () => call((r) => listFlagsRoute(r, { params: Promise.resolve({}) }), `/api/v1/flags?environment=${env.key}`, { key: manageKey });
const ingest = () =>
  call(postEvents, "/api/v1/events", {
    key: ingestKey,
    method: "POST",
    body: JSON.stringify({ events: [{ id: `o-${Date.now()}`, timestamp: Date.now(), flagKey, variant: "gpt-4o", success: true }] }),
  });
const evaluate = () => postJson(`${server.url}/api/v1/evaluate`, { context: { targetingKey: "u1" }, flags: [flagKey] }, bearer(evaluateKey));

describe("database outage", () => {
  test("up: management, ingestion and evaluation answer", async () => {
    expect((await listFlags()).status).toBe(200);
    expect((await ingest()).status).toBe(200);
    expect((await evaluate()).status).toBe(200);
  });

  test("down: management and ingestion answer 503 unavailable with Retry-After; evaluation serves from memory", async () => {
    await proxy.stop();
    try {
      for (const res of [await listFlags(), await ingest()]) {
        expect(res.status, res.body).toBe(503);
        expect(res.type).toBe("application/problem+json");
        expect(Number(res.retryAfter)).toBeGreaterThan(0);
        expect(JSON.parse(res.body)).toMatchObject({ status: 503, code: "unavailable" });
      }
      const evaluated = await evaluate();
      expect(evaluated.status).toBe(200);
      expect(evaluated.json.flags[flagKey]).toMatchObject({ variant: expect.any(String) });
    } finally {
      await proxy.start();
    }
  });

  test("back: everything answers again", async () => {
    expect((await listFlags()).status).toBe(200);
    expect((await ingest()).status).toBe(200);
  });
});
