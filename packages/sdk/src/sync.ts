/**
 * Keeps an in-memory copy of one environment's configuration fresh:
 * 1. loads GET /api/v1/snapshot (If-None-Match, so an unchanged configuration costs a 304);
 * 2. follows GET /api/v1/stream (SSE): every `config` event whose id (the configuration version)
 *    differs from the held one triggers a reload; reconnects with exponential backoff plus
 *    jitter, sending Last-Event-ID so the server only sends a catch-up event when needed;
 * 3. while the stream is down (or streaming is off) it polls the snapshot instead.
 * When Rollgate is unreachable the last good snapshot keeps serving; `stats()` says how stale it is.
 */
import type { FlagSnapshot } from "../../../lib/domain/flags/types";

/** What GET /api/v1/snapshot answers (lib/server/evaluation/snapshot-document.ts). */
export interface SnapshotDocument {
  environment: string;
  version: string;
  flags: FlagSnapshot[];
}

export interface HeldSnapshot {
  readonly document: SnapshotDocument;
  readonly flags: ReadonlyMap<string, FlagSnapshot>;
  readonly etag: string | null;
}

export interface SyncOptions {
  baseUrl: string;
  apiKey: string;
  /** Environment key to assert (the API key names the environment anyway). */
  environment?: string;
  /** Follow the SSE stream (default true); false → poll only. */
  stream?: boolean;
  /** Poll interval while the stream is down or off (default 10 s). */
  pollIntervalMs?: number;
  /** First reconnect delay (default 250 ms), doubled up to `maxReconnectDelayMs` (default 30 s). */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  /** Timeout of one snapshot request (default 5 s). */
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
  onSnapshot?: (next: HeldSnapshot, previous: HeldSnapshot | null) => void;
  onError?: (error: Error) => void;
}

export interface SyncStats {
  /** Configuration version held, or null before the first load. */
  version: string | null;
  /** True while the change stream is connected. */
  streaming: boolean;
  /** When the server last confirmed the held snapshot as current (load, 304, or open stream), ms epoch. */
  lastSyncAt: number | null;
  /** 0 while the stream is connected; otherwise ms since lastSyncAt (Infinity before any load). */
  stalenessMs: number;
  /** Consecutive failed attempts (snapshot or stream). */
  failures: number;
  lastError: string | null;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

export class SnapshotSync {
  private held: HeldSnapshot | null = null;
  private streaming = false;
  private lastSyncAt: number | null = null;
  private failures = 0;
  private lastError: string | null = null;
  private readonly stop = new AbortController();
  private pollTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private readonly fetch: typeof fetch;
  private readonly base: string;

  constructor(private readonly opts: SyncOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch;
    this.base = opts.baseUrl.replace(/\/+$/, "");
  }

  get snapshot(): HeldSnapshot | null {
    return this.held;
  }

  stats(now = Date.now()): SyncStats {
    return {
      version: this.held?.document.version ?? null,
      streaming: this.streaming,
      lastSyncAt: this.lastSyncAt,
      stalenessMs: this.streaming ? 0 : this.lastSyncAt === null ? Infinity : now - this.lastSyncAt,
      failures: this.failures,
      lastError: this.lastError,
    };
  }

  /** Loads the first snapshot (rejects if that fails), then follows changes in the background. */
  async start(): Promise<void> {
    await this.refresh();
    if (!this.held) throw new Error(`Rollgate: cannot load the configuration snapshot: ${this.lastError ?? "unknown error"}`);
    if (this.opts.stream ?? true) void this.streamLoop();
    else this.startPolling();
  }

  close(): void {
    this.stop.abort();
    this.stopPolling();
    this.streaming = false;
  }

  /** Reloads the snapshot now; coalesced (one request at a time, at most one queued). Never rejects. */
  refresh(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) return this.startLoad();
    this.queued = this.running.then(() => {
      this.queued = null;
      return this.startLoad();
    });
    return this.queued;
  }

  private startLoad(): Promise<void> {
    const p = this.load().finally(() => {
      if (this.running === p) this.running = null;
    });
    this.running = p;
    return p;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.opts.apiKey}`, ...extra };
  }

  private async load(): Promise<void> {
    if (this.stop.signal.aborted) return;
    const query = this.opts.environment ? `?environment=${encodeURIComponent(this.opts.environment)}` : "";
    try {
      const res = await this.fetch(`${this.base}/api/v1/snapshot${query}`, {
        headers: this.headers(this.held?.etag ? { "if-none-match": this.held.etag } : {}),
        signal: AbortSignal.any([this.stop.signal, AbortSignal.timeout(this.opts.requestTimeoutMs ?? 5000)]),
      });
      if (res.status === 304) {
        await res.body?.cancel();
      } else if (res.ok) {
        const document = (await res.json()) as SnapshotDocument;
        if (!document || typeof document.version !== "string" || !Array.isArray(document.flags)) throw new Error("the snapshot response is malformed");
        const previous = this.held;
        // Never go back to an older version (a slow answer overtaken by a newer one).
        if (!previous || BigInt(document.version) >= BigInt(previous.document.version)) {
          this.held = { document, flags: new Map(document.flags.map((f) => [f.key, f])), etag: res.headers.get("etag") };
          if (!previous || previous.document.version !== document.version) this.opts.onSnapshot?.(this.held, previous);
        }
      } else {
        throw new HttpError(res.status, `GET /api/v1/snapshot answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      }
      this.lastSyncAt = Date.now();
      this.succeeded();
    } catch (error) {
      this.failed(error);
    }
  }

  private succeeded(): void {
    this.failures = 0;
    this.lastError = null;
  }

  private failed(error: unknown): void {
    if (this.stop.signal.aborted) return;
    this.failures += 1;
    const e = error instanceof Error ? error : new Error(String(error));
    this.lastError = e.message;
    this.opts.onError?.(e);
  }

  private startPolling(): void {
    if (this.pollTimer || this.stop.signal.aborted) return;
    this.pollTimer = setInterval(() => void this.refresh(), this.opts.pollIntervalMs ?? 10_000);
    this.pollTimer.unref();
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  private async streamLoop(): Promise<void> {
    const initial = this.opts.reconnectDelayMs ?? 250;
    const max = this.opts.maxReconnectDelayMs ?? 30_000;
    let delay = initial;
    while (!this.stop.signal.aborted) {
      try {
        await this.followStream(() => {
          delay = initial;
        });
      } catch (error) {
        this.failed(error);
      }
      this.streaming = false;
      if (this.stop.signal.aborted) return;
      this.startPolling();
      await sleep(delay / 2 + Math.random() * (delay / 2), this.stop.signal);
      delay = Math.min(delay * 2, max);
    }
  }

  /** One stream connection, until it ends. */
  private async followStream(onOpen: () => void): Promise<void> {
    const version = this.held?.document.version;
    const res = await this.fetch(`${this.base}/api/v1/stream`, {
      headers: this.headers({ accept: "text/event-stream", ...(version ? { "last-event-id": version } : {}) }),
      signal: this.stop.signal,
    });
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw new HttpError(res.status, `GET /api/v1/stream answered ${res.status}`);
    }
    this.streaming = true;
    this.lastSyncAt = Date.now();
    this.stopPolling();
    this.succeeded();
    onOpen();
    // Changes made while the stream was down are caught by the server's catch-up event.
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, "\n");
      let end: number;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        this.lastSyncAt = Date.now();
        let id: string | undefined;
        let event = "message";
        for (const line of block.split("\n")) {
          if (line.startsWith("id:")) id = line.slice(3).trim();
          else if (line.startsWith("event:")) event = line.slice(6).trim();
        }
        if (event === "config" && id !== undefined && id !== this.held?.document.version) void this.refresh();
      }
    }
  }
}
