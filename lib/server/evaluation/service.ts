/**
 * Wires the evaluation layer into one app instance: the shared snapshot store, the lean routes,
 * and the workers (exposure + key-usage flusher). The runtime calls `startEvaluation` once.
 * The shared state itself is in ./shared.ts.
 */
import "server-only";
import { getEnv, type Env } from "../../env";
import { db } from "../db";
import type { FastRoute } from "../runtime/http-server";
import { NO_COUNTING } from "../observability";
import { sqlExposureWriter, startExposureFlusher } from "./exposures";
import { createEvaluationRoutes } from "./fast-routes";
import { sharedExposureCounter, sharedKeyUsage, sharedSnapshotStore } from "./shared";
import type { SnapshotStore } from "./snapshot-store";

export interface EvaluationRuntime {
  fastRoute: FastRoute;
  store: SnapshotStore;
  /** Ends streams, stops following changes, writes the last exposures and key-usage times. */
  stop(): Promise<void>;
}

/** `countMetrics: false` only for the benchmark's with/without comparison. */
export async function startEvaluation(env: Env = getEnv(), opts: { countMetrics?: boolean } = {}): Promise<EvaluationRuntime> {
  const store = sharedSnapshotStore(env);
  await store.start();
  const exposures = sharedExposureCounter();
  const keyUsage = sharedKeyUsage();
  const flusher = startExposureFlusher({ counter: exposures, write: sqlExposureWriter(db), intervalSeconds: env.ROLLGATE_EXPOSURE_FLUSH_SECONDS });
  const usageTimer = setInterval(() => void keyUsage.flush(db).catch(() => {}), env.ROLLGATE_EXPOSURE_FLUSH_SECONDS * 1000);
  usageTimer.unref();
  const routes = createEvaluationRoutes({
    store,
    exposures,
    keyUsage,
    maxBodyBytes: env.ROLLGATE_MAX_BODY_BYTES,
    publicUrl: env.ROLLGATE_URL,
    ...(opts.countMetrics === false ? { counts: NO_COUNTING } : {}),
  });
  return {
    fastRoute: routes.route,
    store,
    async stop() {
      routes.close();
      clearInterval(usageTimer);
      await flusher.stop();
      await keyUsage.flush(db).catch(() => {});
      await store.stop();
    },
  };
}
