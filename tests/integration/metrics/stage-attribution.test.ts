/**
 * Per-stage attribution end to end: a canary (10% → 30% → 50% → 100%) served through its three
 * split stages over the real evaluation endpoint,
 * outcomes reported over the real events endpoint, promoted twice while requests are in flight.
 * Half the services echo the `stage` of the evaluation answer, half do not (their outcomes are
 * placed by timestamp). The analysis API must report per stage exactly what was served in it,
 * and every panel of the rollout page (verdict rows, gate results, SRM line, Samples per stage,
 * readiness) must show the same numbers for the same stage.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { getEnv } from "@/lib/env";
import { GET as getAnalysisRoute } from "@/app/api/v1/rollouts/[id]/analysis/route";
import { defaultTickDeps } from "@/lib/server/automation";
import { getGateHistory } from "@/lib/server/services/gates/gate-history";
import { createThinner } from "@/lib/server/services/gates/gate-results";
import { evaluateRolloutStep } from "@/lib/server/automation/rollout-step";
import { db } from "@/lib/server/db";
import { ExposureCounter, sqlExposureWriter } from "@/lib/server/evaluation/exposures";
import { createEvaluationRoutes, type EvaluationRoutes } from "@/lib/server/evaluation/fast-routes";
import { KeyUsage } from "@/lib/server/evaluation/key-usage";
import type { SnapshotStore } from "@/lib/server/evaluation/snapshot-store";
import { eventsFastRoute } from "@/lib/server/services/metrics/events-endpoint";
import { getRollout } from "@/lib/server/services/rollouts/get-rollout";
import { loadRollout } from "@/lib/server/services/rollouts/rollout-record";
import { runRolloutCommand } from "@/lib/server/services/rollouts";
import type { AnalysisResponse } from "@/lib/schemas/analysis";
import { createTestUser } from "../helpers/actors";
import { createApiKey } from "../evaluation/fixtures";
import { testStore } from "../evaluation/server";
import { createTestEnvironment } from "../rollouts/fixtures";
import { gates, plan, startedRollout } from "../automation/fixtures";

type Arm = "control" | "treatment";
type Counts = Record<Arm, number>;
const zero = (): Counts => ({ control: 0, treatment: 0 });

/** What the clients saw: per served stage, exposures; per attributed stage, outcomes. */
interface Served {
  stage: number;
  arm: Arm;
  echo: boolean;
  /** When the outcome says the request happened (the evaluation's answer time). */
  at: number;
}

const WORKERS = 8;
const PER_STAGE = 400;
const STAGES = plan([
  { trafficBasisPoints: 1000 },
  { trafficBasisPoints: 3000 },
  {
    trafficBasisPoints: 5000,
    gates: gates(
      { name: "success rate", kind: "comparison", metric: "success_rate", minSamples: 50 },
      { name: "error rate", kind: "threshold", metric: "error_rate", bound: 0.5, minSamples: 50 },
      { name: "split", kind: "threshold", metric: "srm", bound: 0.001, minSamples: 50 },
    ),
  },
  // A canary must end at 100%; traffic runs through the three split stages before it.
  { trafficBasisPoints: 10_000 },
]);

let store: SnapshotStore;
let server: Server;
let routes: EvaluationRoutes;
let url: string;
const exposures = new ExposureCounter();

beforeAll(async () => {
  store = testStore();
  await store.start();
  routes = createEvaluationRoutes({ store, exposures, keyUsage: new KeyUsage(), maxBodyBytes: 1024 * 1024 });
  server = createServer(async (req, res) => {
    if (await routes.route(req, res)) return;
    if (await eventsFastRoute(req, res)) return;
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  routes?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await store?.stop();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whichever fields of the answer they check
async function post(path: string, key: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}${path}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a 3-stage canary promoted twice under steady traffic", () => {
  let rolloutId: string;
  let flagKey: string;
  let manageKey: string;
  const served: Served[] = [];
  const transitions: number[] = [];

  /** GET /api/v1/rollouts/{id}/analysis?stage=N through the route handler, as an API client would. */
  async function analysis(stage?: number): Promise<AnalysisResponse> {
    const q = stage === undefined ? "" : `?stage=${stage}`;
    const res = await getAnalysisRoute(new Request(`http://localhost/api/v1/rollouts/${rolloutId}/analysis${q}`, { headers: { authorization: `Bearer ${manageKey}` } }), {
      params: Promise.resolve({ id: rolloutId }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as AnalysisResponse;
  }

  beforeAll(async () => {
    const env = await createTestEnvironment("attribution");
    const operator = await createTestUser(["operator"]);
    const started = await startedRollout(operator, env, STAGES, { stageStart: new Date() });
    rolloutId = started.rolloutId;
    flagKey = started.flag.key;
    const evaluateKey = (await createApiKey(env.id, { scopes: ["evaluate"] })).key;
    const ingestKey = (await createApiKey(env.id, { scopes: ["ingest"] })).key;
    manageKey = (await createApiKey(env.id, { scopes: ["manage"] })).key;
    await store.refresh(env.id);

    let stop = false;
    let seq = 0;
    const worker = async (w: number) => {
      const batch: Record<string, unknown>[] = [];
      const send = async () => {
        if (batch.length === 0) return;
        const events = batch.splice(0);
        const r = await post("/api/v1/events", ingestKey, { events });
        expect(r.status).toBe(200);
        expect(r.json.rejected).toEqual([]);
      };
      while (!stop) {
        const i = seq++;
        const { json } = await post("/api/v1/evaluate", evaluateKey, { context: { userId: `u-${w}-${i}-${Math.random()}` }, flags: [flagKey] });
        const answer = json.flags[flagKey];
        const at = Date.now();
        const echo = i % 2 === 0; // half the services echo the stage, half do not
        served.push({ stage: answer.rollout.stage, arm: answer.rollout.arm, echo, at });
        await sleep(Math.random() * 4); // the model call: promotions land while requests are in flight
        batch.push({
          id: `e-${i}`,
          timestamp: at,
          flagKey,
          variant: answer.variant,
          rolloutId: answer.rollout.id,
          arm: answer.rollout.arm,
          ...(echo ? { stage: answer.rollout.stage } : {}),
          success: Math.random() < 0.97,
          // Only the echoing services report feedback: the thumbs-up row counts exactly them.
          ...(echo ? { feedback: 1 } : {}),
          latencyMs: 200 + Math.round(Math.random() * 100),
        });
        if (batch.length >= 25) await send();
      }
      await send();
    };
    const traffic = Array.from({ length: WORKERS }, (_, w) => worker(w));
    // Steady traffic; each stage is left once it has served PER_STAGE requests (a count, not a
    // duration, so a slow machine still gives every stage enough samples).
    const servedIn = async (stage: number) => {
      while (served.filter((s) => s.stage === stage).length < PER_STAGE) await sleep(25);
    };
    for (let stage = 1; stage <= 2; stage++) {
      await servedIn(stage - 1);
      const before = Date.now();
      const result = await runRolloutCommand(operator, { rolloutId, command: "promote" });
      expect(result.currentStageIndex).toBe(stage);
      transitions.push(Date.now() - before);
    }
    await servedIn(2);
    stop = true;
    await Promise.all(traffic);
    await exposures.flush(sqlExposureWriter(db));
  }, 120_000);

  test("per-stage exposures and outcomes in the analysis API equal what was served in each stage; no stage raises a sample-ratio alarm", async () => {
    const stages = (await db.rolloutStage.findMany({ where: { rolloutId }, orderBy: { index: "asc" } })).filter((s) => s.startedAt);
    expect(stages).toHaveLength(3);

    const servedExposures = stages.map(zero);
    const echoedOutcomes = stages.map(zero);
    const servedUnechoed = stages.map(zero);
    for (const s of served) {
      servedExposures[s.stage][s.arm] += 1;
      (s.echo ? echoedOutcomes : servedUnechoed)[s.stage][s.arm] += 1;
    }

    // Un-echoed outcomes are placed by timestamp against the stage's recorded start. Near a
    // transition that can differ from the stage that served them: the old snapshot keeps
    // serving from the promotion's timestamp until the commit reaches this process, and events
    // ingested before the commit still see the old stage open. All such requests were answered
    // between the new stage's start and its first answer, or were in flight then (≤ 1/worker).
    const inFlight: number[] = [];
    const propagation: number[] = [];
    for (const next of [1, 2]) {
      const start = stages[next].startedAt!.getTime();
      const firstNew = Math.min(...served.filter((s) => s.stage === next).map((s) => s.at));
      propagation.push(firstNew - start);
      inFlight.push(served.filter((s) => !s.echo && s.at >= start && s.at <= firstNew).length + WORKERS);
    }
    const tolerance = [inFlight[0], inFlight[0] + inFlight[1], inFlight[1]];

    const whole = await analysis();
    for (const stage of [0, 1, 2]) {
      const a = await analysis(stage);
      // Exact: exposures, counted per stage by the process that served them.
      expect(a.stages[stage].exposures, `stage ${stage} exposures`).toEqual(servedExposures[stage]);
      expect(a.srm?.observed, `stage ${stage} SRM`).toEqual(servedExposures[stage]);
      expect(a.srm?.mismatch, `stage ${stage}: ${a.srm?.sentence}`).toBe(false);
      // Exact: the echoing services (the only ones reporting thumbs up) per stage and arm.
      const thumbs = a.metrics.find((m) => m.metric === "thumbs_up_rate")!;
      expect({ control: thumbs.control.n, treatment: thumbs.treatment.n }, `stage ${stage} echoed outcomes`).toEqual(echoedOutcomes[stage]);
      // Within the requests in flight at the stage's transitions: the services that do not echo.
      for (const arm of ["control", "treatment"] as const) {
        const unechoed = a.samples[arm] - echoedOutcomes[stage][arm];
        expect(Math.abs(unechoed - servedUnechoed[stage][arm]), `stage ${stage} ${arm} un-echoed outcomes`).toBeLessThanOrEqual(tolerance[stage]);
      }
      expect(a.stages[stage].samples).toEqual(a.samples);
      expect(whole.stages[stage]).toEqual(a.stages[stage]);
      expect(servedExposures[stage].control + servedExposures[stage].treatment).toBeGreaterThanOrEqual(PER_STAGE);
    }
    expect(whole.unattributed).toEqual({ afterEnd: zero(), unknownStage: zero() });
    expect(whole.samples.control + whole.samples.treatment).toBe(served.length);
    console.log(
      `[attribution] served ${served.length} over 3 stages; per stage (served exposures / analysis outcomes, echoed exact): ` +
        [0, 1, 2].map((s) => `${JSON.stringify(servedExposures[s])} / ${JSON.stringify(whole.stages[s].samples)}`).join("; ") +
        `; promotion → first answer naming the new stage: ${propagation.join(" ms, ")} ms; un-echoed requests in that window (+${WORKERS} in flight): ${inFlight.join(", ")}`,
    );
  });

  test("verdict rows, gate results, the SRM line, Samples per stage, readiness and the analysis API show the same numbers for the stage", async () => {
    const row = await loadRollout(db, rolloutId);
    const deps = defaultTickDeps(getEnv(), { thinner: createThinner(0), log: () => {} });
    const now = new Date();
    await evaluateRolloutStep(row, deps, now);

    const stage = 2;
    const a = await analysis(stage);
    const page = await analysis(); // the page's default window: the whole rollout
    const viewer = await createTestUser(["viewer"]);
    const detail = await getRollout(viewer, rolloutId, now);
    const gatePanel = await getGateHistory(viewer, rolloutId);
    const latest = (name: string) => gatePanel.current.find((g) => g.name === name)!.latest!;

    const success = a.metrics.find((m) => m.metric === "success_rate")!;
    const samples = a.samples;
    // Verdict table row ↔ analysis samples ↔ Samples per stage ↔ readiness.
    expect({ control: success.control.n, treatment: success.treatment.n }).toEqual(samples);
    expect(page.stages[stage].samples).toEqual(samples);
    expect(detail.progress.outcomes).toEqual(samples);
    expect(detail.progress.samples).toBe(Math.min(samples.control, samples.treatment));
    // Gate results ↔ the same stage's analysis.
    expect(latest("success rate").samples).toEqual(samples);
    expect(latest("error rate").samples).toEqual(samples);
    // SRM line ↔ SRM gate ↔ per-stage exposures ↔ readiness exposures.
    expect(a.srm?.observed).toEqual(page.stages[stage].exposures);
    expect(latest("split").samples).toEqual(a.srm?.observed);
    expect(detail.progress.exposures).toEqual(a.srm?.observed);
    expect(latest("split").verdict).toBe("pass");
  });
});
