/**
 * This process's evaluation state: one snapshot store, one exposure counter, one key-usage
 * batch. They live in process-wide singletons because the custom server and Next's bundles load
 * separate copies of these modules (e.g. a Next route asking the store for a key or a snapshot).
 */
import "server-only";
import { getEnv, type Env } from "../../env";
import { databaseUrl, db } from "../db";
import { singleton } from "../singleton";
import { ExposureCounter } from "./exposures";
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
