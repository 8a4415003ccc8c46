/**
 * Benchmark child process: the evaluation layer exactly as the runtime wires it
 * (startEvaluation: shared snapshot store with LISTEN + poll, fast routes, exposure flusher) on
 * a node:http server, without Next (fast routes are matched before Next, so the hot path is the
 * same). BENCH_COUNT_METRICS=0 serves without counting for /metrics (the benchmark's reference
 * for what counting costs). IPC: {type:"killSwitch"} commits a kill-switch change in this process (db update +
 * bumpConfigVersion + emitConfigChanged, as the flags service does) and answers the commit time;
 * {type:"memory"} answers the process's RSS and heap (after a full GC when run with --expose-gc),
 * {type:"heapSnapshot"} writes one; bench/servers/process-stats.ts answers {type:"stats"}.
 * HTTP `POST /bench/kill-switch` {environment, flag, enabled} with a `manage` key runs the flags
 * service's kill switch (commit, audit, apply to this instance, then answer), the write path of
 * `POST /api/v1/flags/{key}/kill-switch` without Next in front: the propagation bench's writer.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { writeHeapSnapshot } from "node:v8";
import type { AddressInfo } from "node:net";
import { getEnv } from "@/lib/env";
import { emitConfigChanged, onConfigChanged } from "@/lib/server/evaluation/config-events";
import { startEvaluation } from "@/lib/server/evaluation/service";
import { apiKeyActor } from "@/lib/server/auth/api-keys";
import { apiKeyOf, parseJson, readBody, sendError, sendJson } from "@/lib/server/evaluation/http-io";
import { setKillSwitch as setKillSwitchService } from "@/lib/server/services/flags/set-kill-switch";
import { setKillSwitch } from "@/tests/integration/evaluation/fixtures";
import { answerStatsRequests } from "./process-stats";

const evaluation = await startEvaluation(getEnv(), { countMetrics: process.env.BENCH_COUNT_METRICS !== "0" });
/** When this process last heard "committed" from a service (emitConfigChanged runs right after the commit). */
let lastCommitAt = 0;
onConfigChanged(() => {
  lastCommitAt = Date.now();
});

async function killSwitchOverHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const raw = apiKeyOf(req);
    const key = raw ? evaluation.store.resolveKey(raw) : null;
    if (!key) return sendJson(res, 401, { error: "a manage key is required" });
    const body = parseJson(await readBody(req, 4096)) as { environment: string; flag: string; enabled: boolean };
    const { flag } = await setKillSwitchService(apiKeyActor(key), body.environment, body.flag, { enabled: body.enabled, reason: body.enabled ? "bench" : null }, { requestId: randomUUID() });
    sendJson(res, 200, { flag: flag.key, killSwitch: flag.killSwitch, committedAt: lastCommitAt });
  } catch (error) {
    sendError(req, res, error);
  }
}

const server = createServer(async (req, res) => {
  if (await evaluation.fastRoute(req, res)) return;
  if (req.method === "POST" && req.url === "/bench/kill-switch") return killSwitchOverHttp(req, res);
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("not found");
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  process.send!({ type: "ready", url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});

answerStatsRequests();

process.on("message", async (message: { type: string; id?: number; environmentId?: string; flagKey?: string; enabled?: boolean; file?: string }) => {
  if (message.type === "killSwitch") {
    // Timed from the commit: the in-process reload the services await (read-your-writes) starts after it.
    const { configVersion } = await setKillSwitch(message.environmentId!, message.flagKey!, message.enabled!, { emit: false });
    const at = Date.now();
    await emitConfigChanged({ environmentId: message.environmentId!, version: configVersion });
    process.send!({ type: "committed", id: message.id, at, version: configVersion });
  } else if (message.type === "memory") {
    (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed, external } = process.memoryUsage();
    process.send!({ type: "memory", id: message.id, rss, heapUsed, external });
  } else if (message.type === "heapSnapshot") {
    // Written after a full GC, so it holds only what is reachable.
    const file = writeHeapSnapshot(message.file);
    process.send!({ type: "heapSnapshot", id: message.id, file, rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed });
  } else if (message.type === "stop") {
    server.closeAllConnections();
    server.close();
    await evaluation.stop();
    process.exit(0);
  }
});
