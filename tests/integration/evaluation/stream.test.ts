/**
 * GET /api/v1/stream: the current version on connect, a push within a second of every committed
 * change, Last-Event-ID resumption, heartbeats, and closing the streams of a revoked key.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SnapshotStore } from "@/lib/server/evaluation/snapshot-store";
import { createApiKey, createEnvironment, createFlag, revokeApiKey, setKillSwitch } from "./fixtures";
import { bearer, openSse, sleep, startTestServer, testStore, waitFor, type TestServer } from "./server";

let store: SnapshotStore;
let server: TestServer;
let envId: string;
let envKey: string;
let apiKey: string;
let streamUrl: string;

beforeAll(async () => {
  const env = await createEnvironment("stream");
  envId = env.id;
  envKey = env.key;
  await createFlag(envId, { key: "bot.model" });
  apiKey = (await createApiKey(envId)).key;
  store = testStore();
  await store.start();
  server = await startTestServer(store, { heartbeatMs: 100 });
  streamUrl = `${server.url}/api/v1/stream`;
});

afterAll(async () => {
  await server?.close();
  await store?.stop();
});

const version = () => store.snapshot(envId)!.version;

describe("GET /api/v1/stream", () => {
  test("sends the current version on connect, then every change within a second", async () => {
    const stream = await openSse(streamUrl, bearer(apiKey));
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers.get("content-type")).toContain("text/event-stream");
      const first = await stream.next();
      expect(first).toMatchObject({ id: version(), event: "config" });
      expect(JSON.parse(first.data)).toEqual({ environment: envKey, version: version() });

      for (const enabled of [true, false, true]) {
        const committedAt = Date.now();
        const { configVersion } = await setKillSwitch(envId, "bot.model", enabled);
        const event = await stream.next((e) => e.id === configVersion, 1000);
        expect(JSON.parse(event.data)).toEqual({ environment: envKey, version: configVersion });
        expect(event.receivedAt - committedAt).toBeLessThan(1000);
      }
    } finally {
      stream.close();
    }
  });

  test("Last-Event-ID equal to the current version: nothing to catch up; older: the current version at once", async () => {
    const upToDate = await openSse(streamUrl, { ...bearer(apiKey), "last-event-id": version() });
    const behind = await openSse(streamUrl, { ...bearer(apiKey), "last-event-id": "1" });
    try {
      const caughtUp = await behind.next(() => true, 1000);
      expect(caughtUp.id).toBe(version());
      await sleep(300);
      expect(upToDate.events).toEqual([]);
      expect(upToDate.comments).toContain("heartbeat");
    } finally {
      upToDate.close();
      behind.close();
    }
  });

  test("without a key → 401 problem; a key without the evaluate scope → 403 problem", async () => {
    const anonymous = await fetch(streamUrl);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toBe("application/problem+json");
    const ingest = await createApiKey(envId, { scopes: ["ingest"] });
    await store.checkVersions();
    expect(store.resolveKey(ingest.key)).not.toBeNull();
    const forbidden = await fetch(streamUrl, { headers: bearer(ingest.key) });
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).code).toBe("forbidden");
  });

  test("revoking a key ends its open streams", async () => {
    const doomed = await createApiKey(envId);
    await store.checkVersions();
    expect(store.resolveKey(doomed.key)).not.toBeNull();
    const stream = await openSse(streamUrl, bearer(doomed.key));
    await stream.next();
    const before = server.routes.hub.size;
    await revokeApiKey(envId, doomed.id);
    await waitFor(() => server.routes.hub.size === before - 1, 2000);
    stream.close();
  });
});
