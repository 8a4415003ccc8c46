/**
 * An open-loop load generator: requests start on a fixed schedule (`rate` per second, spread
 * evenly, checked every millisecond) whatever the answers do, and each latency is measured from
 * the request's scheduled start, so a stalled server cannot hide its delay (no coordinated
 * omission). Used for the half-load latency figure, because autocannon's `overallRate` lets every
 * connection send its whole per-second quota back to back at the start of each second — a
 * full-speed burst, not half load.
 */
import http from "node:http";
import type { ProcessStats } from "../servers/process-stats";

export interface PacedResult {
  target: string;
  rate: number;
  achievedPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  /** Event-loop delay and GC of the generator process during the run (bench/lib/load-worker.ts). */
  generator?: ProcessStats;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
const r2 = (n: number) => Math.round(n * 100) / 100;

export async function pacedLoad(opts: {
  target: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  rate: number;
  durationSeconds: number;
  maxSockets?: number;
}): Promise<PacedResult> {
  const url = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 50 });
  const body = Buffer.from(opts.body);
  const headers = { ...opts.headers, "content-type": "application/json", "content-length": String(body.length) };
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let sent = 0;
  let inFlight = 0;
  const total = Math.round(opts.rate * opts.durationSeconds);
  const start = performance.now();

  const fire = (scheduledAt: number) => {
    inFlight++;
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: "POST", headers, agent }, (res) => {
      res.resume();
      res.on("end", () => {
        inFlight--;
        latencies.push(performance.now() - scheduledAt);
        if (res.statusCode! < 200 || res.statusCode! >= 300) non2xx++;
      });
    });
    req.on("error", () => {
      inFlight--;
      errors++;
    });
    req.end(body);
  };

  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = performance.now() - start;
      const due = Math.min(total, Math.floor((elapsed * opts.rate) / 1000));
      while (sent < due) {
        sent++;
        fire(start + (sent * 1000) / opts.rate);
      }
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  const deadline = performance.now() + 10_000;
  while (inFlight > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const elapsedSeconds = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    target: opts.target,
    rate: opts.rate,
    achievedPerSec: Math.round(latencies.length / elapsedSeconds),
    p50Ms: r2(percentile(latencies, 50)),
    p99Ms: r2(percentile(latencies, 99)),
    maxMs: r2(latencies[latencies.length - 1] ?? NaN),
    non2xx,
    errors: errors + inFlight,
  };
}
