/**
 * Server-Sent Events for configuration changes. One hub per process fans every new snapshot
 * version out to the open streams of that environment, in one of two formats:
 * - `config` (GET /api/v1/stream): `id: <version>`, `event: config`, data `{environment, version}`;
 * - `ofrep` (the URL OFREP's `eventStreams` advertises): `id: <version>`, `event: message`,
 *   data `{"type":"refetchEvaluation","etag":"\"v<version>\""}` (OFREP's change notification).
 * On connect the current version is sent at once unless the client's Last-Event-ID already
 * equals it, so a reconnecting client never misses the last change. Heartbeat comments keep
 * proxies from closing idle streams. Streams of a key that gets revoked are closed.
 */
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EnvironmentSnapshot, SnapshotStore } from "./snapshot-store";

/** Interval of `: heartbeat` comments on every open stream. */
export const HEARTBEAT_MS = 15_000;
/** Reconnect delay suggested to EventSource clients (`retry:`). */
export const RETRY_MS = 1_000;

export type StreamFormat = "config" | "ofrep";

interface Stream {
  res: ServerResponse;
  environmentId: string;
  keyId: string;
  format: StreamFormat;
}

export function formatEvent(format: StreamFormat, snapshot: EnvironmentSnapshot): string {
  if (format === "config") {
    const data = JSON.stringify({ environment: snapshot.environmentKey, version: snapshot.version });
    return `id: ${snapshot.version}\nevent: config\ndata: ${data}\n\n`;
  }
  const data = JSON.stringify({ type: "refetchEvaluation", etag: snapshot.etag });
  return `id: ${snapshot.version}\nevent: message\ndata: ${data}\n\n`;
}

export class SseHub {
  private readonly streams = new Set<Stream>();
  private readonly unsubscribe: Array<() => void>;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly store: SnapshotStore,
    heartbeatMs = HEARTBEAT_MS,
  ) {
    this.unsubscribe = [store.subscribe((s) => this.publish(s)), store.onKeysChanged(() => this.dropRevoked())];
    this.heartbeat = setInterval(() => {
      for (const s of this.streams) s.res.write(": heartbeat\n\n");
    }, heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.streams.size;
  }

  /** Takes over the response: headers, the catch-up event, then events until the client leaves. */
  open(req: IncomingMessage, res: ServerResponse, opts: { environmentId: string; keyId: string; format: StreamFormat }): void {
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    const stream: Stream = { res, ...opts };
    this.streams.add(stream);
    // Not req's "close": a request emits it as soon as its (empty) body is consumed.
    res.on("close", () => this.streams.delete(stream));

    let head = `retry: ${RETRY_MS}\n\n`;
    const current = this.store.snapshot(opts.environmentId);
    const lastEventId = req.headers["last-event-id"];
    if (current && lastEventId !== current.version) head += formatEvent(opts.format, current);
    res.write(head);
  }

  /** Ends every stream (shutdown). */
  close(): void {
    clearInterval(this.heartbeat);
    for (const u of this.unsubscribe) u();
    for (const s of this.streams) s.res.end();
    this.streams.clear();
  }

  private publish(snapshot: EnvironmentSnapshot): void {
    let config: string | undefined;
    let ofrep: string | undefined;
    for (const s of this.streams) {
      if (s.environmentId !== snapshot.environmentId) continue;
      if (s.format === "config") s.res.write((config ??= formatEvent("config", snapshot)));
      else s.res.write((ofrep ??= formatEvent("ofrep", snapshot)));
    }
  }

  private dropRevoked(): void {
    const live = this.store.liveKeyIds();
    for (const s of this.streams) {
      if (live.has(s.keyId)) continue;
      this.streams.delete(s);
      s.res.end();
    }
  }
}
