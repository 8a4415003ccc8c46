/**
 * How a committed change reaches the snapshot store: at once in the same process
 * (onConfigChanged), from another instance through LISTEN/NOTIFY (real Postgres) or through the
 * version poll; reloads are coalesced; and when the database goes away the last snapshot keeps
 * serving while health says degraded, until the database is back.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generateApiKey } from "@/lib/server/auth/api-keys";
import { db, OMIT_SECRETS } from "@/lib/server/db";
import { PrismaClient } from "@/lib/server/generated/prisma/client";

/** The same secret-omitting options as lib/server/db.ts, so the client has the app's `Db` type. */
import { prismaSnapshotSource } from "@/lib/server/evaluation/snapshot-source";
import { healthSignals } from "@/lib/server/observability/health-signals";
import { checkHealth } from "@/lib/server/services/health";
import { testDatabaseUrl } from "../helpers/db";
import { createApiKey, createEnvironment, createFlag, setKillSwitch } from "./fixtures";
import { bearer, postJson, startTestServer, testStore, waitFor } from "./server";
import { startTcpProxy } from "./tcp-proxy";

let envId: string;
let apiKey: string;

beforeAll(async () => {
  envId = (await createEnvironment("propagation")).id;
  await createFlag(envId, { key: "bot.model" });
  apiKey = (await createApiKey(envId)).key;
});

describe("change propagation", () => {
  test("same process: onConfigChanged reloads at once", async () => {
    const store = testStore();
    await store.start();
    try {
      const { configVersion } = await setKillSwitch(envId, "bot.model", true);
      const ms = await waitFor(() => store.snapshot(envId)?.version === configVersion, 1000);
      expect(ms).toBeLessThan(1000);
      expect(store.snapshot(envId)!.flags.get("bot.model")!.killSwitch).toBe(true);
    } finally {
      await store.stop();
    }
  });

  test("another instance: Postgres NOTIFY on a dedicated LISTEN connection", async () => {
    const other = testStore({ inProcessEvents: false, listenUrl: testDatabaseUrl() });
    await other.start();
    try {
      expect(other.isListening()).toBe(true);
      const { configVersion } = await setKillSwitch(envId, "bot.model", false, { emit: false });
      const ms = await waitFor(() => other.snapshot(envId)?.version === configVersion, 1000);
      expect(ms).toBeLessThan(1000);
    } finally {
      await other.stop();
    }
  });

  test("another instance without notifications: the version poll catches up", async () => {
    const other = testStore({ inProcessEvents: false, pollSeconds: 0.2 });
    await other.start();
    try {
      const { configVersion } = await setKillSwitch(envId, "bot.model", true, { emit: false });
      await waitFor(() => other.snapshot(envId)?.version === configVersion, 2000);

      // A key written without bumping the config version is still picked up (key fingerprint).
      const { key, prefix, keyHash } = generateApiKey();
      await db.apiKey.create({ data: { environmentId: envId, name: "unannounced", prefix, keyHash, scopes: ["evaluate"] } });
      await waitFor(() => other.resolveKey(key) !== null, 2000);
    } finally {
      await other.stop();
    }
  });

  test("concurrent triggers are coalesced into at most one running and one queued load", async () => {
    const source = prismaSnapshotSource(db);
    let loads = 0;
    const counting = { ...source, loadEnvironment: (id: string) => ((loads += 1), source.loadEnvironment(id)) };
    const store = testStore({ source: counting, inProcessEvents: false });
    await store.start();
    loads = 0;
    await Promise.all(Array.from({ length: 25 }, () => store.refresh(envId)));
    expect(loads).toBeGreaterThanOrEqual(1);
    expect(loads).toBeLessThanOrEqual(2);
    await store.stop();
  });
});

describe("fail static", () => {
  test("database gone: last snapshot keeps serving, health degraded; back: recovered and caught up", async () => {
    const proxy = await startTcpProxy(testDatabaseUrl());
    const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: proxy.url, max: 2, connectionTimeoutMillis: 2000 }), omit: OMIT_SECRETS });
    const healthKey = "snapshot-fail-static";
    const store = testStore({
      source: prismaSnapshotSource(client),
      listenUrl: proxy.url,
      inProcessEvents: false,
      pollSeconds: 0.2,
      healthKey,
    });
    await store.start();
    const server = await startTestServer(store);
    const evaluate = () => postJson(`${server.url}/api/v1/evaluate`, { context: { userId: "u1" }, flags: ["bot.model"] }, bearer(apiKey));
    try {
      const before = await evaluate();
      expect(before.status).toBe(200);
      const servedVersion = before.json.version;

      await proxy.stop();
      await waitFor(() => healthSignals().has(healthKey), 5000);
      const health = await checkHealth();
      expect(health.status).toBe("degraded");
      expect(health.degraded).toContainEqual({ part: healthKey, why: expect.stringContaining("serving the last good snapshot") });

      // A change committed meanwhile cannot reach this instance; it keeps serving what it has.
      const { configVersion } = await setKillSwitch(envId, "bot.model", false, { emit: false });
      for (let i = 0; i < 5; i++) {
        const during = await evaluate();
        expect(during.status).toBe(200);
        expect(during.json.version).toBe(servedVersion);
      }

      await proxy.start();
      await waitFor(() => !healthSignals().has(healthKey), 10_000);
      await waitFor(() => store.snapshot(envId)?.version === configVersion, 5000);
      const after = await evaluate();
      expect(after.json.version).toBe(configVersion);
      expect(after.json.flags["bot.model"].reason).toBe("DEFAULT");
    } finally {
      await server.close();
      await store.stop();
      await client.$disconnect();
      await proxy.stop();
    }
  });
});

afterAll(() => {
  healthSignals().clear();
});
