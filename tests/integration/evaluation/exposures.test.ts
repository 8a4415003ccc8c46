/**
 * Exposures: every served evaluation decided by a rollout counts once per (rollout, arm, minute)
 * and reaches the database exactly — through failed flushes, and on shutdown. API-key last-use
 * times are written by the same kind of batch, off the request path.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db, OMIT_SECRETS } from "@/lib/server/db";
import { ExposureCounter, sqlExposureWriter, startExposureFlusher } from "@/lib/server/evaluation/exposures";
import { PrismaClient } from "@/lib/server/generated/prisma/client";

/** The same secret-omitting options as lib/server/db.ts, so the client has the app's `Db` type. */
import type { SnapshotStore } from "@/lib/server/evaluation/snapshot-store";
import { createApiKey, createEnvironment, createFlag, createRunningRollout } from "./fixtures";
import { bearer, postJson, startTestServer, testStore, type TestServer } from "./server";

let store: SnapshotStore;
let server: TestServer;
let envId: string;
let apiKey: { id: string; key: string };
let rolloutId: string;

beforeAll(async () => {
  envId = (await createEnvironment("exposures")).id;
  await createFlag(envId, { key: "bot.model" });
  await createFlag(envId, { key: "bot.plain" });
  rolloutId = (await createRunningRollout(envId, "bot.model", { trafficBasisPoints: 5000 })).id;
  apiKey = await createApiKey(envId);
  store = testStore();
  await store.start();
  server = await startTestServer(store);
});

afterAll(async () => {
  await server?.close();
  await store?.stop();
});

async function storedCounts(): Promise<Record<string, number>> {
  const rows = await db.exposure.findMany({ where: { rolloutId } });
  const totals: Record<string, number> = {};
  for (const r of rows) totals[r.arm] = (totals[r.arm] ?? 0) + r.count;
  return totals;
}

/** Serves `n` evaluations over all three evaluation endpoints; returns the arms served. */
async function serveTraffic(n: number, offset = 0): Promise<Record<string, number>> {
  const served: Record<string, number> = {};
  const count = (arm: string) => (served[arm] = (served[arm] ?? 0) + 1);
  for (let i = offset; i < offset + n; i++) {
    const context = { userId: `user-${i}` };
    if (i % 3 === 0) {
      const res = await postJson(`${server.url}/api/v1/evaluate`, { context }, bearer(apiKey.key));
      count(res.json.flags["bot.model"].rollout.arm);
    } else if (i % 3 === 1) {
      const res = await postJson(`${server.url}/ofrep/v1/evaluate/flags/bot.model`, { context }, bearer(apiKey.key));
      count(res.json.metadata.rolloutArm);
    } else {
      const res = await postJson(`${server.url}/ofrep/v1/evaluate/flags`, { context }, bearer(apiKey.key));
      count(res.json.flags.find((f: { key: string }) => f.key === "bot.model").metadata.rolloutArm);
    }
  }
  return served;
}

describe("exposures", () => {
  test("counted per arm, flushed exactly, added up across flushes; 304s and other flags do not count", async () => {
    const first = await serveTraffic(30);
    expect(Object.keys(first).sort()).toEqual(["control", "treatment"]);
    await server.exposures.flush(sqlExposureWriter(db));
    expect(await storedCounts()).toEqual(first);

    // A 304 (the client keeps its earlier answer) serves nothing new.
    const body = { context: { userId: "user-0" }, flags: ["bot.model"] };
    const etag = (await postJson(`${server.url}/api/v1/evaluate`, body, bearer(apiKey.key))).headers.get("etag")!;
    const notModified = await postJson(`${server.url}/api/v1/evaluate`, body, { ...bearer(apiKey.key), "if-none-match": etag });
    expect(notModified.status).toBe(304);
    const arm0 = (await postJson(`${server.url}/api/v1/evaluate`, { context: { userId: "user-0" } }, bearer(apiKey.key))).json.flags["bot.model"].rollout.arm;

    const second = await serveTraffic(12, 100);
    await server.exposures.flush(sqlExposureWriter(db));
    const expected = { ...first };
    for (const [arm, n] of Object.entries(second)) expected[arm] = (expected[arm] ?? 0) + n;
    expected[arm0] += 2; // the 200 before the 304, and the all-flags request
    expect(await storedCounts()).toEqual(expected);
  });

  test("a failed flush keeps the counts and the next one writes them exactly once", async () => {
    const before = await storedCounts();
    const served = await serveTraffic(9, 200);
    const dead = new PrismaClient({ adapter: new PrismaPg({ connectionString: "postgresql://nobody@127.0.0.1:1/none", connectionTimeoutMillis: 500 }), omit: OMIT_SECRETS });
    try {
      await expect(server.exposures.flush(sqlExposureWriter(dead))).rejects.toThrow();
    } finally {
      await dead.$disconnect();
    }
    expect(await storedCounts()).toEqual(before);
    await server.exposures.flush(sqlExposureWriter(db));
    const after = await storedCounts();
    for (const arm of ["control", "treatment"]) expect(after[arm] ?? 0).toBe((before[arm] ?? 0) + (served[arm] ?? 0));
  });

  test("the flusher writes on its interval and once more on stop", async () => {
    const counter = new ExposureCounter();
    const flusher = startExposureFlusher({ counter, write: sqlExposureWriter(db), intervalSeconds: 0.05, log: () => {} });
    const before = (await storedCounts()).control ?? 0;
    counter.record(rolloutId, 0, "control", Date.now());
    const deadline = Date.now() + 2000;
    while (((await storedCounts()).control ?? 0) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect((await storedCounts()).control).toBe(before + 1);
    counter.record(rolloutId, 0, "control", Date.now());
    counter.record(rolloutId, 0, "control", Date.now());
    await flusher.stop();
    expect((await storedCounts()).control).toBe(before + 3);
  });
});

describe("API key last use", () => {
  test("recorded in memory on each request and written in a batch", async () => {
    await postJson(`${server.url}/api/v1/evaluate`, { context: {} }, bearer(apiKey.key));
    expect(await server.keyUsage.flush(db)).toBe(1);
    const row = await db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(row.lastUsedAt).not.toBeNull();
    expect(Date.now() - row.lastUsedAt!.getTime()).toBeLessThan(60_000);
  });
});
