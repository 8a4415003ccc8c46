/**
 * Wires the evaluation layer into one app instance: the shared snapshot store, the lean routes,
 * and the workers (exposure + key-usage flusher). The runtime calls `startEvaluation` once.
 * State lives in process-wide singletons because the custom server and Next's bundles load
 * separate copies of these modules (e.g. a Next route asking the store for a snapshot).
 */
import { getEnv, type Env } from "../../env";
import { databaseUrl, db } from "../db";
import type { FastRoute } from "../runtime/http-server";
import { NO_COUNTING } from "../observability";
import { singleton } from "../singleton";
import { ExposureCounter, sqlExposureWriter, startExposureFlusher } from "./exposures";
import { createEvaluationRoutes } from "./fast-routes";
import { KeyUsage } from "./key-usage";
import { prismaSnapshotSource } from "./snapshot-source";
import { SnapshotStore } from "./snapshot-store";

/** This process's snapshot store (created on first use, started by `startEvaluation`). */
export function sharedSnapshotStore(env: Env = getEnv()): SnapshotStore {
  return singleton(
    "snapshotStore",
    () =>
      new SnapshotStore({
        source: prismaSnapshotSource(db),
        listenUrl: databaseUrl(),
        pollSeconds: env.ROLLGATE_SNAPSHOT_POLL_SECONDS,
      }),
  );
}

export const sharedExposureCounter = () => singleton("exposureCounter", () => new ExposureCounter());
export const sharedKeyUsage = () => singleton("apiKeyUsage", () => new KeyUsage());

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
