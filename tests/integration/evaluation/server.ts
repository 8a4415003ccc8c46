/**
 * Test harness: the evaluation fast routes on a bare node:http server on a free port (no Next),
 * a store reading the run's database, and a tiny SSE reader.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { db, type Db } from "@/lib/server/db";
import { ExposureCounter } from "@/lib/server/evaluation/exposures";
import { createEvaluationRoutes, type EvaluationRoutes, type EvaluationRoutesOptions } from "@/lib/server/evaluation/fast-routes";
import { KeyUsage } from "@/lib/server/evaluation/key-usage";
import { prismaSnapshotSource, type SnapshotSource } from "@/lib/server/evaluation/snapshot-source";
import { SnapshotStore, type SnapshotStoreOptions } from "@/lib/server/evaluation/snapshot-store";

export function testStore(opts: Partial<SnapshotStoreOptions> & { client?: Db; source?: SnapshotSource } = {}): SnapshotStore {
  return new SnapshotStore({
    source: opts.source ?? prismaSnapshotSource(opts.client ?? db),
    pollSeconds: 3600,
    healthKey: `snapshot-test-${Math.random().toString(36).slice(2, 8)}`,
    log: () => {},
    ...opts,
  });
}

export interface TestServer {
  url: string;
  routes: EvaluationRoutes;
  exposures: ExposureCounter;
  keyUsage: KeyUsage;
  close(): Promise<void>;
}

export async function startTestServer(store: SnapshotStore, opts: Partial<Omit<EvaluationRoutesOptions, "store">> = {}): Promise<TestServer> {
  let routes: EvaluationRoutes | undefined;
  const server: Server = createServer(async (req, res) => {
    if (routes && (await routes.route(req, res))) return;
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not a fast route");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const exposures = opts.exposures ?? new ExposureCounter();
  const keyUsage = opts.keyUsage ?? new KeyUsage();
  routes = createEvaluationRoutes({ store, exposures, keyUsage, maxBodyBytes: 1024 * 1024, publicUrl: url, ...opts });
  return {
    url,
    routes,
    exposures,
    keyUsage,
    close: async () => {
      routes?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whichever fields of the answer they check
  return { status: res.status, headers: res.headers, text, json: json as any };
}

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
  receivedAt: number;
}

/** Reads an SSE response into events; `next` waits for the next event matching `pred`. */
export async function openSse(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: controller.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const waiters: Array<() => void> = [];
  let buffer = "";
  const pump = async () => {
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { data: "", receivedAt: Date.now() };
          let isEvent = false;
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) {
              comments.push(line.slice(1).trim());
              continue;
            }
            if (line.startsWith("id: ")) event.id = line.slice(4);
            else if (line.startsWith("event: ")) event.event = line.slice(7);
            else if (line.startsWith("data: ")) event.data += line.slice(6);
            else continue;
            isEvent = true;
          }
          if (isEvent) events.push(event);
          for (const w of waiters.splice(0)) w();
        }
      }
    } catch {
      // aborted
    }
    for (const w of waiters.splice(0)) w();
  };
  void pump();
  let cursor = 0;
  return {
    status: res.status,
    headers: res.headers,
    events,
    comments,
    /** Resolves with the next event (after those already consumed) matching `pred`, or rejects after `timeoutMs`. */
    async next(pred: (e: SseEvent) => boolean = () => true, timeoutMs = 3000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (cursor < events.length) {
          const e = events[cursor++];
          if (pred(e)) return e;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching SSE event within ${timeoutMs} ms (got ${JSON.stringify(events)})`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
    close: () => controller.abort(),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 20 ms until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
  return Date.now() - start;
}
