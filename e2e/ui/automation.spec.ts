/**
 * Automation against the running app (evaluator every 2 s, see scripts/e2e-server.ts), with the
 * traffic simulator as the production service:
 * - a regression injected into a 5% canary is rolled back without a human: the evaluation API
 *   serves control to everyone, the audit trail holds the system's action with its numbers, a
 *   webhook receiver got the rollback, and the rollout page says why;
 * - a healthy canary with auto-advance walks to 100% and completes on its own;
 * - an exhausted error budget refuses a promote in the UI and the API, with the reason.
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { runSimulation } from "../../lib/simulator/run";
import { expect, test } from "../fixtures";
import { bearer, createApiKey, createModelFlag, createRollout, ENV, rolloutCommand, runningCanary, servedTo, startRollout, uid } from "../helpers/service";

const USERS = Array.from({ length: 200 }, (_, i) => `user-${i}`);

interface Receiver {
  url: string;
  bodies: { event: string; text?: string; [k: string]: unknown }[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const bodies: Receiver["bodies"] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      try {
        bodies.push(JSON.parse(raw));
      } catch {
        /* not JSON: not ours */
      }
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, bodies, close: () => new Promise((r) => server.close(() => r())) };
}

async function rolloutState(api: Parameters<typeof createModelFlag>[0], id: string): Promise<{ state: string; currentStageIndex: number; lastAutomaticAction: string | null }> {
  const res = await api.get(`/api/v1/rollouts/${id}`);
  expect(res.status()).toBe(200);
  return res.json();
}

test("a 5% canary with an injected error regression is rolled back automatically, and everything follows", async ({ adminApi, adminPage, baseURL, request }) => {
  test.setTimeout(180_000);
  const api = adminApi.request;
  const receiver = await startReceiver();
  try {
    // Stages without gates: the canary template's defaults (success rate and error rate ≤ 5%,
    // both critical; p95 latency; sample ratio).
    const stages = [
      { trafficBasisPoints: 500, minBakeSeconds: 0, minSamplesPerArm: 100 },
      { trafficBasisPoints: 10_000, minBakeSeconds: 0, minSamplesPerArm: 100 },
    ];
    const { flagKey, rolloutId, evaluateKey, ingestKey } = await runningCanary(api, "auto-rollback", stages, {
      before: async (key) => {
        const hook = await api.post("/api/v1/webhooks", { data: { name: `e2e ${key}`, url: receiver.url, events: ["rollout.rolled_back"], environment: ENV } });
        expect(hook.status(), await hook.text()).toBe(201);
      },
    });
    const rollout = { id: rolloutId };

    const traffic = new AbortController();
    const simulation = runSimulation({ url: baseURL!, evaluateKey, ingestKey, flag: flagKey, rps: 150, durationSeconds: 0, seed: 11, errorRateTreatment: 0.3, flushIntervalMs: 500 }, traffic.signal);
    const started = Date.now();
    try {
      await expect.poll(async () => (await rolloutState(api, rollout.id)).state, { timeout: 90_000, intervals: [1000] }).toBe("rolled_back");
    } finally {
      traffic.abort();
      await simulation;
    }
    test.info().annotations.push({ type: "rollback after", description: `${((Date.now() - started) / 1000).toFixed(1)} s of traffic` });

    // Everyone is served control at once.
    const served = await servedTo(request, evaluateKey, flagKey, USERS);
    expect(served.every((s) => s.variant === "gpt-4o")).toBe(true);

    // The audit trail holds the system's rollback with the numbers that caused it.
    const audit = await api.get(`/api/v1/audit?actor=system&resourceId=${rollout.id}`);
    const records = ((await audit.json()) as { records: { action: string; actorType: string; context: Record<string, unknown> }[] }).records;
    const rollback = records.find((r) => r.action === "rollout.rollback");
    expect(rollback, JSON.stringify(records.map((r) => r.action))).toBeDefined();
    expect(rollback!.actorType).toBe("system");
    expect(JSON.stringify(rollback!.context)).toMatch(/error rate|success rate/);

    // The webhook receiver got the rollback.
    await expect.poll(() => receiver.bodies.filter((b) => b.event === "rollout.rolled_back").length, { timeout: 15_000 }).toBe(1);
    expect(receiver.bodies[0]!.text).toContain(flagKey);

    // The page says what happened and why, in words.
    await adminPage.goto(`/rollouts/${rollout.id}?env=${ENV}`);
    await expect(adminPage.getByTestId("rollout-state")).toHaveAttribute("data-state", "rolled_back");
    await expect(adminPage.getByTestId("rollout-ending-title")).toContainText("Rolled back automatically");
    await expect(adminPage.getByTestId("rollout-ending-reason")).toContainText(/^Rolled back at \d{1,2}:\d{2}/);
    await expect(adminPage.getByText(/critical gate '(error rate|success rate)'/).first()).toBeVisible();

    // The post-mortem draft is one click away and tells the same story.
    const [download] = await Promise.all([adminPage.waitForEvent("download"), adminPage.getByTestId("rollout-exports").getByRole("link", { name: "Post-mortem draft" }).click()]);
    const postmortem = await readFile((await download.path())!, "utf8");
    expect(postmortem).toContain(flagKey);
    expect(postmortem).toMatch(/rolled back/i);
  } finally {
    await receiver.close();
  }
});

test("a healthy canary with auto-advance walks through its stages to 100% and completes on its own", async ({ adminApi, baseURL }) => {
  test.setTimeout(180_000);
  const api = adminApi.request;
  const errorRate = [{ name: "error rate", kind: "threshold", metric: "error_rate", bound: 0.05, minSamples: 100, critical: true }];
  const stages = [
    { trafficBasisPoints: 2000, minBakeSeconds: 2, minSamplesPerArm: 100, gates: errorRate },
    { trafficBasisPoints: 5000, minBakeSeconds: 2, minSamplesPerArm: 100, gates: errorRate },
    { trafficBasisPoints: 10_000, minBakeSeconds: 2, minSamplesPerArm: 100 },
  ];
  const { flagKey, rolloutId, evaluateKey, ingestKey } = await runningCanary(api, "auto-advance", stages, { autoAdvance: true });
  const rollout = { id: rolloutId };
  const traffic = new AbortController();
  const simulation = runSimulation({ url: baseURL!, evaluateKey, ingestKey, flag: flagKey, rps: 150, durationSeconds: 0, seed: 5, flushIntervalMs: 500 }, traffic.signal);
  const stagesSeen = new Set<number>();
  try {
    await expect
      .poll(
        async () => {
          const r = await rolloutState(api, rollout.id);
          stagesSeen.add(r.currentStageIndex);
          return r.state;
        },
        { timeout: 120_000, intervals: [1000] },
      )
      .toBe("completed");
  } finally {
    traffic.abort();
    await simulation;
  }
  expect([...stagesSeen].sort()).toEqual(expect.arrayContaining([0, 2]));
  const audit = await api.get(`/api/v1/audit?actor=system&resourceId=${rollout.id}`);
  const actions = ((await audit.json()) as { records: { action: string }[] }).records.map((r) => r.action);
  expect(actions.filter((a) => a === "rollout.promote").length).toBeGreaterThanOrEqual(2);
});

test("an exhausted error budget refuses a promote in the UI and the API with the reason; rollback stays allowed", async ({ adminApi, adminPage, request }) => {
  const api = adminApi.request;
  const flagKey = `frozen-${uid()}.model`;
  await createModelFlag(api, flagKey, ["gpt-4o", "gpt-4.1"]);
  const ingestKey = await createApiKey(api, ["ingest"]);
  const manageKey = await createApiKey(api, ["manage"]);
  const rollout = await createRollout(api, {
    flagKey,
    strategy: "canary",
    controlVariant: "gpt-4o",
    treatmentVariant: "gpt-4.1",
    stages: [
      { trafficBasisPoints: 500, minBakeSeconds: 0, minSamplesPerArm: 0, gates: [{ name: "error rate below 100%", kind: "threshold", metric: "error_rate", bound: 1, minSamples: 0 }] },
      { trafficBasisPoints: 10_000, minBakeSeconds: 0, minSamplesPerArm: 0, gates: [{ name: "error rate below 100%", kind: "threshold", metric: "error_rate", bound: 1, minSamples: 0 }] },
    ],
  });
  await startRollout(api, rollout.id);

  // 200 requests of the flag, 40 failed: a 99% target allows 2.
  const run = uid();
  const events = Array.from({ length: 200 }, (_, i) => ({
    id: `${run}-${i}`,
    timestamp: new Date().toISOString(),
    flagKey,
    variant: "gpt-4o",
    model: "gpt-4o",
    latencyMs: 800,
    success: i % 5 !== 0,
    errorType: i % 5 === 0 ? "server_error" : undefined,
  }));
  const ingest = await request.post("/api/v1/events", { headers: bearer(ingestKey), data: { events } });
  expect(await ingest.json()).toMatchObject({ accepted: 200 });
  const slo = await api.post("/api/v1/slos", {
    data: { environment: ENV, name: `availability ${flagKey}`, flagKey, successRateTarget: 0.99, windowDays: 7, policies: [{ on: "budget_exhausted", actions: ["freeze_promotions"] }] },
  });
  expect(slo.status(), await slo.text()).toBe(201);

  const viaApi = await rolloutCommand(api, rollout.id, "promote", {}, bearer(manageKey));
  expect(viaApi.status()).toBe(409);
  const problem = await viaApi.json();
  expect(problem.detail).toContain("error budget exhausted");

  await adminPage.goto(`/rollouts/${rollout.id}?env=${ENV}`);
  await adminPage.getByTestId("command-promote").first().click();
  const dialog = adminPage.getByRole("dialog");
  await dialog.getByTestId("confirm-command").click();
  await expect(dialog).toContainText("error budget exhausted");
  await expect(dialog).toContainText(`availability ${flagKey}`);
  expect((await rolloutState(api, rollout.id)).currentStageIndex).toBe(0);

  const rollback = await rolloutCommand(api, rollout.id, "rollback", { comment: "budget gone" }, bearer(manageKey));
  expect(rollback.status(), await rollback.text()).toBe(200);
});
