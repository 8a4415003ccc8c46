/**
 * Benchmark child process: the evaluation layer exactly as the runtime wires it
 * (startEvaluation: shared snapshot store with LISTEN + poll, fast routes, exposure flusher) on
 * a node:http server, without Next (fast routes are matched before Next, so the hot path is the
 * same). BENCH_COUNT_METRICS=0 serves without counting for /metrics (the benchmark's reference
 * for what counting costs). IPC: {type:"killSwitch"} commits a kill-switch change in this process (db update +
 * bumpConfigVersion + emitConfigChanged, as the flags service does) and answers the commit time;
 * {type:"memory"} answers the process's RSS and heap.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getEnv } from "@/lib/env";
import { emitConfigChanged } from "@/lib/server/evaluation/config-events";
import { startEvaluation } from "@/lib/server/evaluation/service";
import { setKillSwitch } from "@/tests/integration/evaluation/fixtures";

const evaluation = await startEvaluation(getEnv(), { countMetrics: process.env.BENCH_COUNT_METRICS !== "0" });
const server = createServer(async (req, res) => {
  if (await evaluation.fastRoute(req, res)) return;
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("not found");
});
server.keepAliveTimeout = 65_000;
server.listen(0, "127.0.0.1", () => {
  process.send!({ type: "ready", url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});

process.on("message", async (message: { type: string; id?: number; environmentId?: string; flagKey?: string; enabled?: boolean }) => {
  if (message.type === "killSwitch") {
    // Timed from the commit: the in-process reload the services await (read-your-writes) starts after it.
    const { configVersion } = await setKillSwitch(message.environmentId!, message.flagKey!, message.enabled!, { emit: false });
    const at = Date.now();
    await emitConfigChanged({ environmentId: message.environmentId!, version: configVersion });
    process.send!({ type: "committed", id: message.id, at, version: configVersion });
  } else if (message.type === "memory") {
    process.send!({ type: "memory", id: message.id, rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed });
  } else if (message.type === "stop") {
    server.closeAllConnections();
    server.close();
    await evaluation.stop();
    process.exit(0);
  }
});
