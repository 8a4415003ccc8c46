/**
 * The load generator in a process of its own, so the bench's own work (spawning servers,
 * reading results, the SSE client) never competes with it on one event loop. The parent sends
 * one job at a time over IPC ({kind:"peak"|"paced", …}) and gets the figures back.
 */
import autocannon, { type Result } from "autocannon";
import { recordProcessStats, type ProcessStats } from "../servers/process-stats";
import { pacedLoad, type PacedResult } from "./paced-load";

// The generator's own event-loop delay and GC pauses during each job: a latency tail with a
// stall here and none in the server is the generator's, not the endpoint's.
const stats = recordProcessStats();

export interface PeakJob {
  kind: "peak";
  target: string;
  url: string;
  body?: string;
  headers?: Record<string, string>;
  connections: number;
  duration: number;
  overallRate?: number;
}

export interface PacedJob {
  kind: "paced";
  target: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  rate: number;
  durationSeconds: number;
}

export interface LoadFigures {
  target: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  generator?: ProcessStats;
}

async function peak(job: PeakJob): Promise<LoadFigures> {
  const result: Result = await autocannon({
    url: job.url,
    method: "POST",
    connections: job.connections,
    duration: job.duration,
    headers: { "content-type": "application/json", ...job.headers },
    body: job.body,
    ...(job.overallRate ? { overallRate: job.overallRate } : {}),
  });
  return {
    target: job.target,
    reqPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

process.on("message", async (message: { id: number; job: PeakJob | PacedJob }) => {
  try {
    const { job } = message;
    // Garbage of the previous job (an overloaded run leaves many requests behind) is collected
    // before this one starts, not in the middle of it.
    (globalThis as { gc?: () => void }).gc?.();
    stats.reset();
    const result: LoadFigures | PacedResult = job.kind === "peak" ? await peak(job) : await pacedLoad(job);
    process.send!({ id: message.id, result: { ...result, generator: stats.read() } });
  } catch (error) {
    process.send!({ id: message.id, error: (error as Error).message });
  }
});
process.send!({ ready: true });
