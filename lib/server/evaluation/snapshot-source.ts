/**
 * Where the snapshot store reads from: the database, through Prisma. An interface so a second
 * store instance (another "app instance" in tests) can read through its own connection, and so
 * "the database went away" can be simulated by pointing that connection somewhere dead.
 */
import "server-only";
import type { ApiKeyScope } from "../../domain/auth/permissions";
import type { Db } from "../db";
import { loadEnvironmentSnapshot, type EnvironmentSnapshotData } from "./snapshot-loader";

export interface EnvironmentVersion {
  id: string;
  /** environments.config_version as a decimal string (bigint). */
  version: string;
}

export interface ApiKeyRow {
  id: string;
  name: string;
  environmentId: string;
  keyHash: string;
  scopes: ApiKeyScope[];
  rateLimitPerSecond: number;
}

export interface SnapshotSource {
  /** One cheap query: every environment's current config version (the poll's safety net). */
  listVersions(): Promise<EnvironmentVersion[]>;
  /** A consistent read of one environment's flags and active rollouts. */
  loadEnvironment(environmentId: string): Promise<EnvironmentSnapshotData>;
  /** Every non-revoked API key, of all environments. */
  loadApiKeys(): Promise<ApiKeyRow[]>;
  /**
   * Changes whenever a key is created, revoked or deleted, even if the writer forgot to bump the
   * config version: "<count>:<max created_at>:<max revoked_at>".
   */
  apiKeyFingerprint(): Promise<string>;
}

export function prismaSnapshotSource(client: Db): SnapshotSource {
  return {
    async listVersions() {
      const rows = await client.environment.findMany({ select: { id: true, configVersion: true } });
      return rows.map((r) => ({ id: r.id, version: r.configVersion.toString() }));
    },
    loadEnvironment: (environmentId) => loadEnvironmentSnapshot(client, environmentId),
    async loadApiKeys() {
      const rows = await client.apiKey.findMany({
        where: { revokedAt: null },
        select: { id: true, name: true, environmentId: true, keyHash: true, scopes: true, rateLimitPerSecond: true },
      });
      return rows.map((r) => ({ ...r, scopes: r.scopes as ApiKeyScope[] }));
    },
    async apiKeyFingerprint() {
      const agg = await client.apiKey.aggregate({ _count: { _all: true }, _max: { createdAt: true, revokedAt: true } });
      return `${agg._count._all}:${agg._max.createdAt?.getTime() ?? 0}:${agg._max.revokedAt?.getTime() ?? 0}`;
    },
  };
}
