/**
 * The traffic simulator: a fake production service that asks Rollgate which variant each
 * request gets (POST /api/v1/evaluate) and reports the outcomes (POST /api/v1/events), exactly
 * as a real integration would — public HTTP API only. Users come from a fixed population so
 * stickiness holds; shadow assignments produce a pair of events sharing a pairId.
 *
 * Used by `npm run simulate`, by the demo seed (a live canary on a fresh start) and by e2e tests.
 */
import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { mulberry32, normalSampler } from "../domain/stats/random";
import type { IngestResponse, OutcomeEventInput, RejectedEvent } from "../schemas/events";
import { simulateCall, type Regression } from "./outcome";

export interface SimulationOptions extends Regression {
  /** Rollgate's base URL, e.g. http://127.0.0.1:3000. */
  url: string;
  /** API key of scope `evaluate`. */
  evaluateKey: string;
  /** API key of scope `ingest` (same environment). */
  ingestKey: string;
  flag: string;
  /** Simulated requests per second. */
  rps: number;
  /** Seconds to run; 0 or Infinity = until the signal aborts. */
  durationSeconds: number;
  /** Size of the user population (userId = user-0 … user-(n−1)); default 5000. */
  users?: number;
  /** Seed of the outcome randomness; default: time-based. Event ids are always unique per run. */
  seed?: number;
  /** false = send as fast as possible (tests); default true = spread over real time at `rps`. */
  pace?: boolean;
  /** Requests in flight at once; default 16. */
  concurrency?: number;
  /** Events per POST /api/v1/events; default 500 (the API takes up to 1,000). */
  batchSize?: number;
  /** A partial batch is sent after this long; default 1000 ms. */
  flushIntervalMs?: number;
  /** Progress lines. */
  log?: (line: string) => void;
  fetch?: typeof fetch;
}

export interface SimulationReport {
  requests: number;
  evaluateErrors: number;
  byArm: { control: number; treatment: number; none: number };
  shadowPairs: number;
  events: { sent: number; accepted: number; duplicates: number; rejected: number; failedBatches: number };
  /** The first rejections the API reported, to tell a misconfiguration at a glance. */
  sampleRejections: RejectedEvent[];
  durationMs: number;
}

interface NativeResult {
  variant?: string;
  value?: Record<string, unknown>;
  rollout?: { id: string; stage: number; arm: "control" | "treatment" };
  shadow?: { variant: string; value: Record<string, unknown> };
  error?: string;
}

const PLANS = ["free", "pro", "enterprise"] as const;
/**
 * Resolves after `ms`, or at once when `signal` aborts. The abort listener is removed when the
 * timer fires: one signal serves every sleep of a long run (the demo traffic never ends), and
 * listeners left behind would pile up on it without bound.
 */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const onAbort = () => (clearTimeout(t), resolve());
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export async function runSimulation(opts: SimulationOptions, signal?: AbortSignal): Promise<SimulationReport> {
  const http = opts.fetch ?? fetch;
  const base = opts.url.replace(/\/+$/, "");
  const uniform = mulberry32(opts.seed ?? Date.now() % 2 ** 31);
  const rnd = { uniform, normal: normalSampler(uniform) };
  const users = opts.users ?? 5000;
  const runId = randomUUID().slice(0, 8);
  const endless = !opts.durationSeconds || !Number.isFinite(opts.durationSeconds);
  const total = endless ? Infinity : Math.max(0, Math.round(opts.rps * opts.durationSeconds));
  const pace = opts.pace ?? true;
  const batchSize = Math.min(1000, opts.batchSize ?? 500);
  const started = Date.now();

  const report: SimulationReport = {
    requests: 0,
    evaluateErrors: 0,
    byArm: { control: 0, treatment: 0, none: 0 },
    shadowPairs: 0,
    events: { sent: 0, accepted: 0, duplicates: 0, rejected: 0, failedBatches: 0 },
    sampleRejections: [],
    durationMs: 0,
  };

  let buffer: OutcomeEventInput[] = [];
  const inFlightBatches = new Set<Promise<void>>();
  const sendBatch = (events: OutcomeEventInput[]) => {
    const p = (async () => {
      report.events.sent += events.length;
      try {
        const res = await http(`${base}/api/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${opts.ingestKey}`, "content-type": "application/json" },
          body: JSON.stringify({ events }),
        });
        if (!res.ok) {
          report.events.failedBatches += 1;
          opts.log?.(`events batch refused: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
          return;
        }
        const body = (await res.json()) as IngestResponse;
        report.events.accepted += body.accepted;
        report.events.duplicates += body.duplicates;
        report.events.rejected += body.rejected.length;
        for (const r of body.rejected) if (report.sampleRejections.length < 5) report.sampleRejections.push(r);
      } catch (error) {
        report.events.failedBatches += 1;
        opts.log?.(`events batch failed: ${(error as Error).message}`);
      }
    })();
    inFlightBatches.add(p);
    void p.finally(() => inFlightBatches.delete(p));
  };
  const flush = () => {
    while (buffer.length > 0) {
      sendBatch(buffer.slice(0, batchSize));
      buffer = buffer.slice(batchSize);
    }
  };
  const flusher = setInterval(flush, opts.flushIntervalMs ?? 1000);

  const simulateOne = async (i: number) => {
    const userId = `user-${Math.floor(uniform() * users)}`;
    const context = { userId, plan: PLANS[Math.floor(uniform() * PLANS.length)] };
    let result: NativeResult | undefined;
    try {
      const res = await http(`${base}/api/v1/evaluate`, {
        method: "POST",
        headers: { authorization: `Bearer ${opts.evaluateKey}`, "content-type": "application/json" },
        body: JSON.stringify({ context, flags: [opts.flag] }),
      });
      if (res.ok) result = ((await res.json()) as { flags: Record<string, NativeResult> }).flags[opts.flag];
      else if (report.evaluateErrors < 3) opts.log?.(`evaluate refused: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
    } catch (error) {
      if (report.evaluateErrors < 3) opts.log?.(`evaluate failed: ${(error as Error).message}`);
    }
    report.requests += 1;
    if (!result?.variant || !result.value) {
      report.evaluateErrors += 1;
      return;
    }
    report.byArm[result.rollout?.arm ?? "none"] += 1;
    const timestamp = Date.now();
    const requestId = `${runId}-${i}`;
    const pairId = result.shadow && result.rollout ? `pair-${requestId}` : undefined;
    buffer.push(
      simulateCall(
        { id: `sim-${requestId}`, timestamp, flagKey: opts.flag, variant: result.variant, payload: result.value, rollout: result.rollout, subjectKey: userId, requestId, pairId },
        opts,
        rnd,
      ),
    );
    if (result.shadow && result.rollout) {
      report.shadowPairs += 1;
      buffer.push(
        simulateCall(
          {
            id: `sim-${requestId}-shadow`,
            timestamp,
            flagKey: opts.flag,
            variant: result.shadow.variant,
            payload: result.shadow.value,
            rollout: { id: result.rollout.id, stage: result.rollout.stage, arm: "treatment" },
            subjectKey: userId,
            requestId,
            pairId,
            shadow: true,
          },
          opts,
          rnd,
        ),
      );
    }
    if (buffer.length >= batchSize) flush();
  };

  // The workers wait on a signal of this run's own that follows the caller's: the caller's
  // signal gets one listener per run (the demo traffic shares one across its runs), ours at most
  // one per worker, a known number, hence its limit.
  const concurrency = Math.max(1, opts.concurrency ?? 16);
  const stopped = new AbortController();
  setMaxListeners(concurrency + 1, stopped.signal);
  const stop = () => stopped.abort();
  if (signal?.aborted) stop();
  else signal?.addEventListener("abort", stop, { once: true });

  let next = 0;
  const worker = async () => {
    while (!stopped.signal.aborted && next < total) {
      const i = next++;
      if (pace) await sleep(started + (i * 1000) / opts.rps - Date.now(), stopped.signal);
      if (stopped.signal.aborted) break;
      await simulateOne(i);
    }
  };
  let lastLog = Date.now();
  const progress = setInterval(() => {
    if (Date.now() - lastLog < 5000) return;
    lastLog = Date.now();
    opts.log?.(`${report.requests} requests (control ${report.byArm.control}, treatment ${report.byArm.treatment}), ${report.events.accepted} events accepted`);
  }, 1000);
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    signal?.removeEventListener("abort", stop);
    clearInterval(flusher);
    clearInterval(progress);
    flush();
    while (inFlightBatches.size > 0) await Promise.all([...inFlightBatches]);
    report.durationMs = Date.now() - started;
  }
  return report;
}
