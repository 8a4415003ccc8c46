/**
 * Everything one app instance runs: the HTTP server and the background workers. Workers are
 * safe to run on every instance (each elects itself per task through Postgres).
 */
import "server-only";
import { appUrl, getEnv } from "../../env";
import { startHttpServer, type FastRoute } from "./http-server";
import { startEvaluation } from "../evaluation/service";
import { startWebhookWorker } from "../webhooks/worker";
import { startEventPruning } from "../services/metrics/prune-events";
import { eventsFastRoute } from "../services/metrics/events-endpoint";
import { otlpTracesFastRoute } from "../services/metrics/otlp-endpoint";
import { startAutomation } from "../automation";
import { startDemoTraffic } from "../demo/traffic";

export interface Worker {
  name: string;
  stop(): Promise<void>;
}

export async function startRuntime(opts: { dev: boolean; dir: string }) {
  const env = getEnv();
  const fastRoutes: FastRoute[] = [];
  const workers: Worker[] = [];

  // Evaluation is served from memory: load the snapshots before accepting requests.
  const evaluation = await startEvaluation(env);
  fastRoutes.push(evaluation.fastRoute);
  fastRoutes.push(eventsFastRoute);
  fastRoutes.push(otlpTracesFastRoute);

  const http = await startHttpServer({
    dev: opts.dev,
    dir: opts.dir,
    host: env.HOST,
    port: env.PORT,
    fastRoutes,
    https: appUrl(env).startsWith("https://"),
    trustedProxies: env.ROLLGATE_TRUSTED_PROXIES,
  });
  if (!env.ROLLGATE_DISABLE_WORKERS) workers.push(startWebhookWorker());
  if (!env.ROLLGATE_DISABLE_WORKERS) workers.push(startEventPruning());
  if (!env.ROLLGATE_DISABLE_WORKERS) workers.push(startAutomation());
  if (env.ROLLGATE_DEMO_TRAFFIC) {
    const traffic = await startDemoTraffic(http.url);
    if (traffic) workers.push(traffic);
  }

  return {
    url: http.url,
    close: async () => {
      for (const w of workers) await w.stop();
      await http.close();
      // After the server stopped taking requests, so the last exposures are flushed too.
      await evaluation.stop();
    },
  };
}
