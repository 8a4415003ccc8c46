/**
 * Batches what the SDK reports to Rollgate:
 * - exposures: counted locally per (rollout, stage, arm, minute) and sent as counts to
 *   POST /api/v1/exposures, where they join the server's own exposure counts;
 * - outcome events: queued and sent to POST /api/v1/events in batches of at most 500.
 * Every flush retries transient failures (network, 408, 429, 5xx) with backoff. Each event has
 * its own id and each exposure batch an Idempotency-Key, both kept across retries, so a retry
 * after a lost answer never counts twice. What still fails stays queued for the next flush,
 * bounded by `maxQueuedEvents` (the oldest are dropped and counted in `stats().droppedEvents`).
 */
import type { RolloutArm } from "../../../lib/domain/flags/types";
import { HttpError } from "./sync";

/** The outcome event of POST /api/v1/events (lib/schemas/events.ts), as the SDK sends it. */
export interface OutcomeEventPayload {
  id: string;
  timestamp: number;
  flagKey: string;
  variant: string;
  rolloutId?: string;
  stage?: number;
  arm?: RolloutArm;
  subjectKey?: string;
  requestId?: string;
  pairId?: string;
  model?: string;
  latencyMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  success: boolean;
  errorType?: string;
  feedback?: 1 | -1;
  retried?: boolean;
  qualityScore?: number;
  attributes?: Record<string, unknown>;
}

interface ExposureBatch {
  key: string;
  cells: { rolloutId: string; stage: number; arm: RolloutArm; minute: number; count: number }[];
}

export interface ReporterOptions {
  baseUrl: string;
  apiKey: string;
  /** Key for POST /api/v1/events if not `apiKey` (which then needs both `evaluate` and `ingest`). */
  ingestApiKey?: string;
  /** Background flush interval (default 2 s); 0 disables the timer (flush() / close() only). */
  flushIntervalMs?: number;
  /** Attempts per request within one flush (default 3). */
  maxAttempts?: number;
  maxQueuedEvents?: number;
  fetch?: typeof fetch;
  onError?: (error: Error) => void;
}

export interface ReporterStats {
  queuedEvents: number;
  sentEvents: number;
  rejectedEvents: number;
  droppedEvents: number;
  pendingExposureCells: number;
  sentExposures: number;
}

const EVENT_BATCH = 500;
const SEP = "\u0000";
const transient = (status: number) => status === 408 || status === 429 || status >= 500;

export class Reporter {
  private exposures = new Map<string, number>();
  /** The current minute's counts: rolloutId → stage → [control, treatment]. Evaluations hit this
   *  on every call, so it avoids building and hashing a composite string key each time. */
  private current = new Map<string, Array<[number, number]>>();
  private currentMinute = -1;
  private unsentExposures: ExposureBatch[] = [];
  private events: OutcomeEventPayload[] = [];
  private readonly counters = { sentEvents: 0, rejectedEvents: 0, droppedEvents: 0, sentExposures: 0 };
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private readonly fetch: typeof fetch;
  private readonly base: string;

  constructor(private readonly opts: ReporterOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch;
    this.base = opts.baseUrl.replace(/\/+$/, "");
    const interval = opts.flushIntervalMs ?? 2000;
    if (interval > 0) {
      this.timer = setInterval(() => void this.flush(), interval);
      this.timer.unref();
    }
  }

  countExposure(rolloutId: string, stage: number, arm: RolloutArm, now: number): void {
    const minute = now - (now % 60_000);
    if (minute !== this.currentMinute) {
      this.closeMinute();
      this.currentMinute = minute;
    }
    let stages = this.current.get(rolloutId);
    if (!stages) this.current.set(rolloutId, (stages = []));
    const counts = (stages[stage] ??= [0, 0]);
    counts[arm === "control" ? 0 : 1] += 1;
  }

  /** Moves the current minute's counts to the per-cell map that flushes read. */
  private closeMinute(): void {
    for (const [rolloutId, stages] of this.current) {
      stages.forEach((counts, stage) => {
        (["control", "treatment"] as const).forEach((arm, i) => {
          if (counts[i] === 0) return;
          const key = `${rolloutId}${SEP}${stage}${SEP}${arm}${SEP}${this.currentMinute}`;
          this.exposures.set(key, (this.exposures.get(key) ?? 0) + counts[i]);
        });
      });
    }
    this.current = new Map();
  }

  enqueue(event: OutcomeEventPayload): void {
    this.events.push(event);
    const max = this.opts.maxQueuedEvents ?? 100_000;
    if (this.events.length > max) {
      const over = this.events.length - max;
      this.events.splice(0, over);
      this.counters.droppedEvents += over;
    }
    if (this.events.length >= EVENT_BATCH) void this.flush();
  }

  stats(): ReporterStats {
    let current = 0;
    for (const stages of this.current.values()) for (const c of stages) if (c) current += (c[0] > 0 ? 1 : 0) + (c[1] > 0 ? 1 : 0);
    return { ...this.counters, queuedEvents: this.events.length, pendingExposureCells: this.exposures.size + current };
  }

  /** Sends everything queued; one flush at a time (a call during a flush waits for it, then flushes again). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.flushOnce().finally(() => (this.flushing = null));
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async flushOnce(): Promise<void> {
    this.closeMinute();
    if (this.exposures.size > 0) {
      const cells = [...this.exposures].map(([key, count]) => {
        const [rolloutId, stage, arm, minute] = key.split(SEP);
        return { rolloutId, stage: Number(stage), arm: arm as RolloutArm, minute: Number(minute), count };
      });
      this.exposures = new Map();
      for (let i = 0; i < cells.length; i += 5000) this.unsentExposures.push({ key: crypto.randomUUID(), cells: cells.slice(i, i + 5000) });
    }
    while (this.unsentExposures.length > 0) {
      const batch = this.unsentExposures[0];
      const ok = await this.send("/api/v1/exposures", this.opts.apiKey, { exposures: batch.cells }, { "idempotency-key": batch.key });
      if (!ok) return;
      this.unsentExposures.shift();
      this.counters.sentExposures += batch.cells.reduce((n, c) => n + c.count, 0);
    }
    while (this.events.length > 0) {
      const batch = this.events.slice(0, EVENT_BATCH);
      const answer = await this.send("/api/v1/events", this.opts.ingestApiKey ?? this.opts.apiKey, { events: batch });
      if (!answer) return;
      this.events.splice(0, batch.length);
      if (answer.dropped) continue;
      const rejected = Array.isArray(answer.rejected) ? answer.rejected : [];
      this.counters.rejectedEvents += rejected.length;
      this.counters.sentEvents += batch.length - rejected.length;
      if (rejected.length) this.report(new Error(`Rollgate rejected ${rejected.length} outcome event(s): ${JSON.stringify(rejected.slice(0, 3))}`));
    }
  }

  /** POSTs with retries; the parsed answer, or null when it must wait for the next flush. */
  private async send(path: string, apiKey: string, body: unknown, headers: Record<string, string> = {}): Promise<{ rejected?: unknown[]; dropped?: true } | null> {
    const attempts = this.opts.maxAttempts ?? 3;
    const text = JSON.stringify(body);
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.fetch(`${this.base}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}`, ...headers },
          body: text,
          signal: AbortSignal.timeout(10_000),
        });
        const answer = await res.text();
        if (res.ok) return answer ? (JSON.parse(answer) as { rejected?: unknown[] }) : {};
        const error = new HttpError(res.status, `POST ${path} answered ${res.status}: ${answer.slice(0, 300)}`);
        if (!transient(res.status)) {
          // A 4xx other than 408/429 will not get better: drop the batch, say so.
          this.report(error);
          if (path === "/api/v1/events") this.counters.droppedEvents += (body as { events: unknown[] }).events.length;
          return { dropped: true };
        }
        throw error;
      } catch (error) {
        if (attempt >= attempts) {
          this.report(error instanceof Error ? error : new Error(String(error)));
          return null;
        }
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }

  private report(error: Error): void {
    this.opts.onError?.(error);
  }
}
